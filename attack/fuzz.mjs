export const key='xfuzz'; export const title='fuzz'; export async function run(){}
