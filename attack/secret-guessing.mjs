export const key='xsecret-guessing'; export const title='secret-guessing'; export async function run(){}
