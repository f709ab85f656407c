// How a recorded test starts this bot (`card inbox record --setup ./start-bot.js`): against the
// test's emulator, serving callbacks and events on one webhook path.
import { createBot } from '../bot.js';

export default async function startBot(emu) {
  const app = emu.app();
  const bot = createBot({ appId: app.appId, appSecret: app.appSecret, encryptKey: app.encryptKey, verificationToken: app.verificationToken, domain: emu.url });
  const hook = await bot.listen();
  emu.setCallbackUrl(hook.url);
  return hook;
}
