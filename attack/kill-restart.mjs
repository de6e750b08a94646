export const key='xkill-restart'; export const title='kill-restart'; export async function run(){}
