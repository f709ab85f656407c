import { envelope, type EnvelopeParts } from './events.js';

/**
 * The directory's events (contact/v3), in the platform's 2.0 envelope: a user joined, changed or
 * left, a department was made, changed or deleted. `object` is the user or department as it is
 * now, in open ids; `old_object` holds what a change replaced (field names as the event pages give them).
 */

type Obj = Record<string, unknown>;

/** contact.user.created_v3: a user joined (the create API, or the admin console). */
export function userCreated(p: EnvelopeParts, user: Obj): Obj {
  return envelope('contact.user.created_v3', p, { object: user });
}

/** contact.user.updated_v3: `old` holds the old value of each field that changed. */
export function userUpdated(p: EnvelopeParts, user: Obj, old: Obj): Obj {
  return envelope('contact.user.updated_v3', p, { object: user, old_object: old });
}

/** contact.user.deleted_v3: the user as they are now (resigned) and the departments they left. */
export function userDeleted(p: EnvelopeParts, user: Obj, oldDepartmentIds: string[]): Obj {
  return envelope('contact.user.deleted_v3', p, { object: user, old_object: { department_ids: oldDepartmentIds, open_id: user.open_id } });
}

export function departmentCreated(p: EnvelopeParts, department: Obj): Obj {
  return envelope('contact.department.created_v3', p, { object: department });
}

/** contact.department.updated_v3: `old` holds the old value of each field that changed. */
export function departmentUpdated(p: EnvelopeParts, department: Obj, old: Obj): Obj {
  return envelope('contact.department.updated_v3', p, { object: department, old_object: old });
}

/** contact.department.deleted_v3: the department as deleted, and that it was live before. */
export function departmentDeleted(p: EnvelopeParts, department: Obj): Obj {
  return envelope('contact.department.deleted_v3', p, { object: department, old_object: { status: { is_deleted: false }, open_department_id: department.open_department_id } });
}

/**
 * What changed between two views of the same thing: the names of the fields whose value differs
 * (compared as JSON), and `old`, the old value of each of them that had one.
 */
export function changedFields(before: Obj, after: Obj): { keys: string[]; old: Obj } {
  const keys: string[] = [];
  const old: Obj = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[k]) === JSON.stringify(after[k])) continue;
    keys.push(k);
    if (before[k] !== undefined) old[k] = before[k];
  }
  return { keys, old };
}
