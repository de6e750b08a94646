export const key='xunknown-clients'; export const title='unknown-clients'; export async function run(){}
