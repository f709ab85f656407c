/**
 * The receiver type, under one name: `receiveIdType` in code, `--to-type` on the command line,
 * `to_type` in a receiver file, `receive_id_type` on the wire. Its values are written here only.
 * This module imports nothing, so command declarations can show the values in their help.
 */
/** The ids of a user; also what batch_get_id can return (its user_id_type). */
export const USER_ID_TYPES = ['open_id', 'union_id', 'user_id'] as const;

export const RECEIVE_ID_TYPES = [...USER_ID_TYPES, 'email', 'chat_id'] as const;

export type UserIdType = (typeof USER_ID_TYPES)[number];

export type ReceiveIdType = (typeof RECEIVE_ID_TYPES)[number];

export const isReceiveIdType = (value: string): value is ReceiveIdType => (RECEIVE_ID_TYPES as readonly string[]).includes(value);
