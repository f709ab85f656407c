import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { s } from '../catalogue/schema.js';
import { contactPage } from './contact-views.js';

/**
 * The tenant's custom user fields (自定义用户字段): the definitions whose values users carry in
 * `custom_attrs`. A seed without definitions gets the fields its users' values name.
 */
export const contactCustomAttrRoutes: Route[] = [
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/custom_attrs',
    title: '获取企业自定义用户字段',
    tokens: ['tenant'],
    scopes: ['contact:contact.base:readonly', 'contact:contact:readonly_as_app'],
    query: s.object({ page_size: s.optional(s.integer({ minimum: 1, maximum: 100 })), page_token: s.optional(s.string({ maxLength: 200 })) }),
    errors: [40012],
    coverage: { partial: 'page size: 20 by default and at most 100, which the docs we read do not state' },
    notes: 'Each field: id, type (TEXT, HREF, ENUMERATION, PICTURE_ENUM, GENERIC_USER), names, and the choices of an enumeration.',
    handle({ query, core }) {
      const page = contactPage(core.store.customAttrDefinitions, 'custom_attrs', query.page_size ?? 20, query.page_token);
      const items = page.items.map((d) => ({ id: d.id, type: d.type, ...(d.options ? { options: d.options } : {}), i18n_name: d.i18n_name }));
      return ok({ items, ...(page.page_token ? { page_token: page.page_token } : {}), has_more: page.has_more });
    },
  }),
];
