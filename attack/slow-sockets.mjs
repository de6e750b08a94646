export const key='xslow-sockets'; export const title='slow-sockets'; export async function run(){}
