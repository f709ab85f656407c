import { randomBytes } from 'node:crypto';
import type { EnvelopeParts, UserIds } from './events.js';

/**
 * application.bot.menu_v6 (机器人自定义菜单事件): a person pressed an item of the bot's menu whose
 * action is "push an event". Field names as the official Node SDK types the event: the operator's
 * name and ids, the item's event_key, and when it was pressed (`timestamp`, a number, in seconds:
 * the SDK types it as a number and the event page gives no unit; the emulator uses seconds, the
 * unit of the platform's other click times in numbers).
 */
export function botMenuPressed(p: EnvelopeParts, e: { operator: UserIds; operator_name: string; event_key: string }): Record<string, unknown> {
  return {
    schema: '2.0',
    header: { event_id: randomBytes(16).toString('hex'), token: '', create_time: String(p.now), event_type: 'application.bot.menu_v6', tenant_key: p.tenant_key, app_id: p.app_id },
    event: {
      operator: { operator_name: e.operator_name, operator_id: e.operator },
      event_key: e.event_key,
      timestamp: Math.floor(p.now / 1000),
    },
  };
}
