// An expense-approval bot on the official Feishu / Lark Node SDK: someone writes to it, it answers
// with an approval card; a click on Approve or Reject answers with a toast and an updated card.
// It serves callbacks and events on one webhook path, or over the long connection (WSClient).
import * as lark from '@larksuiteoapi/node-sdk';
import { createServer } from 'node:http';

const approvalCard = (amount) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: 'Expense approval' }, template: 'blue' },
  body: {
    elements: [
      { tag: 'markdown', content: `**Amount:** ¥${amount}` },
      { tag: 'button', text: { tag: 'plain_text', content: 'Approve' }, type: 'primary', behaviors: [{ type: 'callback', value: { action: 'approve', amount } }] },
      { tag: 'button', text: { tag: 'plain_text', content: 'Reject' }, type: 'danger', behaviors: [{ type: 'callback', value: { action: 'reject', amount } }] },
    ],
  },
});

const decidedCard = (amount, decision, by) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: `Expense ${decision}` }, template: decision === 'approved' ? 'green' : 'red' },
  body: { elements: [{ tag: 'markdown', content: `**Amount:** ¥${amount}\n${decision} by <at id=${by}></at>` }] },
});

/** The bot: `handlers` for an EventDispatcher, and ways to run it over a webhook or the long connection. */
export function createBot({ appId, appSecret, encryptKey = '', verificationToken = '', domain = lark.Domain.Feishu }) {
  const client = new lark.Client({ appId, appSecret, domain, loggerLevel: lark.LoggerLevel.error });
  const handlers = {
    'im.message.receive_v1': async ({ message }) => {
      const text = JSON.parse(message.content).text ?? '';
      const amount = /(\d+(?:\.\d+)?)/.exec(text)?.[1] ?? '0';
      await client.im.message.reply({ path: { message_id: message.message_id }, data: { msg_type: 'interactive', content: JSON.stringify(approvalCard(amount)) } });
    },
    'card.action.trigger': async ({ operator, action }) => {
      const { action: what, amount } = action.value;
      const decision = what === 'approve' ? 'approved' : 'rejected';
      return { toast: { type: what === 'approve' ? 'success' : 'error', content: `Expense ${decision}` }, card: { type: 'raw', data: decidedCard(amount, decision, operator.open_id) } };
    },
  };
  const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  const dispatcher = () => new lark.EventDispatcher({ encryptKey, verificationToken, logger }).register(handlers);
  return {
    /** Serves events and card callbacks on one path; resolves to its URL. */
    async listen(port = 0, path = '/webhook') {
      const server = createServer(lark.adaptDefault(path, dispatcher(), { autoChallenge: true }));
      await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
      return { url: `http://127.0.0.1:${server.address().port}${path}`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) };
    },
    /** Connects over the long connection; resolves once connected. */
    async connect() {
      let ws;
      await new Promise((resolve, reject) => {
        ws = new lark.WSClient({ appId, appSecret, domain, logger, autoReconnect: false, onReady: resolve, onError: reject });
        ws.start({ eventDispatcher: dispatcher() }).catch(reject);
      });
      return { close: () => ws.close({ force: true }) };
    },
  };
}
