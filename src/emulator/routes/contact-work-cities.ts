import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { contactPage } from './contact-views.js';
import { namedView } from './contact-jobs.js';

/** The tenant's work cities (工作城市): read-only, made in the admin console (here, the seed). */

const CITY_READ = ['contact:work_city:readonly', 'contact:contact:access_as_user', 'contact:contact:readonly_as_app'] as const;

export const contactWorkCityRoutes: Route[] = [
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/work_cities',
    title: '获取租户工作城市列表',
    tokens: ['tenant', 'user'],
    scopes: CITY_READ,
    query: s.object({ page_size: s.optional(s.integer({ minimum: 1, maximum: 50 })), page_token: s.optional(s.string({ maxLength: 200 })) }),
    errors: [40012],
    coverage: 'full',
    notes: "The seed's work cities and those user writes named (a city the tenant lacks is added), 10 a page (at most 50).",
    handle({ query, core }) {
      const page = contactPage([...core.store.workCities.values()], 'work_cities', query.page_size ?? 10, query.page_token);
      return ok({ items: page.items.map((e) => namedView(e, 'work_city_id')), ...(page.page_token ? { page_token: page.page_token } : {}), has_more: page.has_more });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/work_cities/:work_city_id',
    title: '获取单个工作城市信息',
    tokens: ['tenant', 'user'],
    scopes: CITY_READ,
    params: s.object({ work_city_id: s.string({ minLength: 1, maxLength: 64 }) }),
    errors: [],
    coverage: { partial: 'the docs list no code for an unknown id: here 99992402 names work_city_id' },
    handle({ params, core }) {
      const e = core.store.workCities.get(params.work_city_id);
      if (!e) throw fail(99992402, undefined, { field_violations: [{ field: 'work_city_id', value: params.work_city_id, description: 'no work city has this id' }] });
      return ok({ work_city: namedView(e, 'work_city_id') });
    },
  }),
];
