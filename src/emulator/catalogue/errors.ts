import { PlatformError } from '../http.js';

/**
 * Every code the emulator answers, with its HTTP status and the platform's own sentence, written
 * once. A route names the codes it may answer; `fail` adds what this case is about after the
 * sentence (`sep` is how the platform joins them: 230001 writes `, ext=` before its reason).
 */
interface ErrorEntry {
  status: number;
  message: string;
  sep?: string;
  /** Other sentences the platform answers with the same code, by what each is about. */
  variants?: Record<string, string | { status: number; message: string }>;
}

export const ERRORS = {
  // The gateway: tokens, scopes, frequency, request shape.
  9499: { status: 400, message: 'Bad Request' },
  99991400: { status: 429, message: 'request trigger frequency limit' },
  99991661: { status: 400, message: 'Missing access token for authorization. Please make a request with token attached.' },
  99991663: { status: 400, message: 'Invalid access token for authorization. Please make a request with token attached.' },
  99991668: { status: 400, message: 'user access token not support' },
  99991672: { status: 400, message: 'Access denied. One of the following scopes is required' },
  99992402: { status: 400, message: 'field validation failed' },
  99992351: { status: 400, message: 'open ids not existed', sep: ': ' },
  // auth/v3
  10003: { status: 400, message: 'invalid param' },
  // The platform says which half of the credentials is wrong, under one code.
  10014: { status: 400, message: 'app secret invalid', variants: { unknown_app: 'app id not exists' } },
  // Messages (im/v1).
  230001: { status: 400, message: 'Your request contains an invalid request parameter', sep: ', ext=' },
  230002: { status: 400, message: 'The bot can not be outside the group.' },
  230006: { status: 400, message: 'Bot ability is not activated.' },
  230011: { status: 400, message: 'The message is recalled.' },
  230012: { status: 400, message: 'Bot is NOT the sender of the message.' },
  230013: { status: 400, message: 'Bot has NO availability to this user.' },
  230017: { status: 400, message: 'Bot is NOT the owner of the resource.' },
  230019: { status: 400, message: 'The topic does NOT exist.' },
  230020: { status: 400, message: 'This operation triggers the frequency limit.' },
  230023: { status: 400, message: 'The user has too many unread urgent messages.' },
  230025: { status: 400, message: 'The length of the message content reaches its limit', sep: ', ext=' },
  230026: { status: 400, message: 'No permission to recall this message.' },
  230027: { status: 400, message: 'Lack of necessary permissions.' },
  230030: { status: 400, message: 'The message id is invalid, record not found.' },
  230031: { status: 400, message: 'The message is older than 14 days and can no longer be updated.' },
  230034: { status: 400, message: 'The receive_id is invalid.' },
  230054: { status: 400, message: 'This operation is not supported for this message type.' },
  230071: { status: 400, message: 'The operator is not the sender of the message.' },
  230072: { status: 400, message: 'The message has reached the number of times it can be edited.' },
  230099: { status: 400, message: 'Failed to create card content', sep: ', ext=' },
  // Chats (im/v1).
  232001: { status: 400, message: 'Your request contains an invalid request parameter.' },
  232006: { status: 400, message: 'Your request specifies a chat_id which is invalid.' },
  232009: { status: 400, message: 'Your request specifies a chat which has already been dissolved.' },
  232011: { status: 400, message: 'Operator can NOT be out of the chat.' },
  232017: { status: 400, message: 'No Permission: If the operator is NOT owner or creator with the scope, the operator can NOT complete the request.' },
  232020: { status: 400, message: 'Name can NOT be less than two characters for public chats.' },
  232022: { status: 400, message: 'User has already resigned.' },
  232027: { status: 400, message: 'There are no valid members in the ID list specified in your request.' },
  232042: { status: 400, message: "Public group chat's name should not be empty." },
  232043: { status: 400, message: 'Your request contains unavailable ids.' },
  // ── im/v1 messages: reactions, pins, forwards, resources, reads ──
  230045: { status: 400, message: 'The chat not exist.' },
  230047: { status: 400, message: 'Pin/Unpin message trigger message_id limit.' },
  230050: { status: 400, message: 'The message is invisible to the operator.' },
  230061: { status: 400, message: 'The message type does not support forwarding.' },
  230063: { status: 400, message: 'The chat_id of group to forward is invalid.' },
  // merge_forward and thread forward word it for their case ("All messages…", "The thread…"); the detail says which.
  230064: { status: 400, message: 'The message to be forwarded is invalid.' },
  230065: { status: 400, message: 'The message to be forwarded has been recalled.' },
  230067: { status: 400, message: 'The source of the messages to be merged and forwarded are not in compliance.' },
  230069: { status: 400, message: 'Does not support forwarding messages from different groups.' },
  230110: { status: 400, message: 'Action unavailable as the message has been deleted.' },
  231001: { status: 400, message: 'reaction type is invalid.' },
  231002: { status: 400, message: 'The operator has no permission to react on the specific message.' },
  231003: { status: 400, message: 'The message is not found, maybe not exist or deleted.' },
  231004: { status: 400, message: 'The chat in which the message exists is not found, maybe not exist, deleted or archived.' },
  231007: { status: 400, message: 'The operator has no permission to delete this reaction.' },
  231008: { status: 400, message: 'The operator has no access to the message.' },
  231010: { status: 400, message: 'The reaction does not belong to the message.' },
  231011: { status: 400, message: 'The request has an invalid reaction_id.' },
  231012: { status: 400, message: 'The request has an invalid pageToken.' },
  234002: { status: 401, message: 'Unauthorized.' },
  234003: { status: 400, message: 'File not in message.' },
  234004: { status: 400, message: 'App not in chat.' },
  234043: { status: 400, message: 'Unsupported message type.' },
  // push_follow_up gives 230002 and 230006 sentences of their own: FOLLOW_UP_SENTENCES below.
  230003: { status: 400, message: 'only support p2p chat.' },
  230004: { status: 400, message: 'invisible message.' },
  230005: { status: 400, message: 'user is not visible to bot.' },
  230007: { status: 400, message: 'invalid follow up.' },
  230008: { status: 400, message: 'follow up already exist.' },
  // The detail completes the sentence: `one days.` for the sender, `one year.` for a chat's manager.
  230009: { status: 400, message: 'Message can only be recalled within', sep: ' ' },
  230033: { status: 400, message: 'Get the reading status must be done within 7 days after the message is sent.' },
  // ephemeral/v1
  18051: { status: 400, message: '消息已删除', sep: ' ' },
  // message/v4/batch_send answers these with HTTP 200 (failInBody).
  11203: { status: 200, message: 'no permission to send to multiple users', sep: ': ' },
  11204: { status: 200, message: 'no permission to send to departments', sep: ': ' },
  11246: { status: 200, message: 'create message content fail', sep: ': ' },
  // interactive/v1/card/update
  11311: { status: 400, message: 'invalid card format', sep: ': ' },
  100000: { status: 400, message: 'The card content exceeds the 30 KB limit', sep: ': ' },
  200000: { status: 400, message: 'The message was recalled.' },
  200310: { status: 400, message: 'The card was sent by another app.' },
  200320: { status: 400, message: 'open_ids is invalid', sep: ': ' },
  200830: { status: 400, message: 'A JSON 2.0 card cannot be updated to a JSON 1.0 card.' },
  300020: { status: 400, message: 'token is invalid', sep: ': ' },
  300030: { status: 400, message: 'token is expired', sep: ': ' },
  300040: { status: 400, message: 'token has been used too many times', sep: ': ' },
  300090: { status: 400, message: 'a non-shared card (config.update_multi false) needs card.open_ids: the users whose view is updated.' },
  // ── im/v1 chats: update, announcement, managers, moderation, search ──
  232002: { status: 400, message: 'No Permission: Only chat owner or admin can edit chat information in the current situation.' },
  232003: { status: 400, message: 'Chat announcement can NOT be found in chat information.' },
  232012: { status: 400, message: 'New chat owner can NOT be out of the chat.' },
  232013: { status: 400, message: 'You have reached the limit of maximum number of members a chat can have.' },
  232016: { status: 400, message: 'Non-chat-owner or Non-chat-admin can only edit certain parts.' },
  232018: { status: 400, message: 'Updating announcement failed.' },
  232026: { status: 400, message: 'This name is already used in an existing public chat. Names of public chats are supposed to be different.' },
  232035: { status: 400, message: 'Your request specifies an owner_id which is invalid.' },
  232038: { status: 400, message: 'The operator is not chat owner, no permission to complete the request.' },
  232040: { status: 400, message: 'The chat managers has reached the limit of maximum number.' },
  232041: { status: 400, message: 'The avatar key is illegal.' },
  232062: { status: 400, message: 'P2P chat cannot be share link.' },
  232064: { status: 400, message: 'The operator is not a group owner or administrator, no permission to share chat link.' },
  232075: { status: 400, message: 'The public group needs to apply to join, and users or bots are not allowed to actively join the group.' },
  232076: { status: 400, message: "Can't kick chat owner." },
  // ── im/v1 chats: tabs, menus, top notices ──
  232008: { status: 400, message: 'Your request specifies a chat whose type is NOT supported currently.' },
  232014: { status: 400, message: 'The token used in the request does NOT have the permissions necessary to complete the request.' },
  232046: { status: 400, message: 'The number of chat tabs has reached the limit.' },
  232047: { status: 400, message: 'The length of the tab name reaches the limit.' },
  232048: { status: 400, message: 'The chat tab content is illegal.' },
  232049: { status: 400, message: 'The chat tab content is illegal.' },
  232055: { status: 400, message: 'The operator does not have chat tab, chat menu, chat widget manage permission' },
  232056: { status: 400, message: "The operator is not the image's owner, no permission to complete the request." },
  232070: { status: 400, message: 'The number of chat_menu_top_level has reached the limit.' },
  232071: { status: 400, message: 'The number of chat_menu_second_level has reached the limit.' },
  232072: { status: 400, message: "Sort chat_menu_top_level's param is invalid." },
  232078: { status: 400, message: 'The chat menu is illegal.' },
  // ── contact/v3 directory ──
  40004: { status: 403, message: 'no dept authority error' },
  40012: { status: 400, message: 'page token is invalid error' },
  40015: { status: 400, message: 'department not exist' },
  41050: { status: 400, message: 'no user authority error' },
  // ── h24-contact-groups: user groups, units, employee types ──
  40001: { status: 400, message: 'param error' },
  40011: { status: 400, message: 'page size is invalid' },
  // 41071 and 41072 are also the user writes' length codes for en_name and nickname.
  41071: { status: 400, message: 'invalid member_id_type', variants: { en_name_length: 'en_name length exceed 255 character' } },
  41072: { status: 400, message: 'member_type not match member_id_type', variants: { nickname_length: 'nickname length exceed 255 character' } },
  41073: { status: 400, message: 'invalid member_id' },
  41074: { status: 400, message: 'invalid member_type' },
  42001: { status: 400, message: 'group name empty' },
  42002: { status: 400, message: 'invalid group_id' },
  42003: { status: 400, message: 'group type invalid' },
  // The add routes' docs give this one HTTP 200: the member is there, as asked.
  42005: { status: 200, message: 'member is already in group' },
  42006: { status: 400, message: 'user has resigned error' },
  42009: { status: 403, message: 'no user group authority error' },
  42010: { status: 403, message: 'not has all authority error' },
  42012: { status: 400, message: 'group member user reached the upper limit' },
  42013: { status: 400, message: 'group name exceed limit' },
  42014: { status: 400, message: 'group description exceed limit' },
  42016: { status: 400, message: 'user group number exceed limit' },
  42017: { status: 400, message: 'group has member not allow delete' },
  42024: { status: 400, message: 'no permission to create a dynamic group' },
  47005: { status: 400, message: 'duplicate group id error' },
  47009: { status: 400, message: 'duplicated name error' },
  43051: { status: 400, message: 'unit_id invalid' },
  43052: { status: 400, message: 'unit name invalid' },
  43053: { status: 400, message: 'unit type invalid' },
  43055: { status: 400, message: 'unit name and type repeat' },
  43056: { status: 400, message: 'duplicate unit id error' },
  43059: { status: 400, message: 'unit number exceed limit' },
  42302: { status: 400, message: 'param i18n_content duplicate' },
  // ── h24-contact-roles: job levels, job families, functional roles ──
  42300: { status: 400, message: 'job level reach the upper limit' },
  // Two families answer 42301: the job levels' docs for an unknown level, the workforce types' for a taken name.
  42301: { status: 404, message: 'job level not exist', variants: { employee_type_content: { status: 400, message: 'param content duplicate' } } },
  42303: { status: 400, message: 'job level name not valid' },
  42304: { status: 400, message: 'job level description not valid' },
  42305: { status: 400, message: 'job level name duplicate' },
  42306: { status: 400, message: 'job level order duplicate' },
  42308: { status: 400, message: 'job level invalid order' },
  // The families' cap has no code in the pages we read: 42400 follows the levels' 42300.
  42400: { status: 400, message: 'job family reach the upper limit' },
  42402: { status: 404, message: 'job family not exist' },
  42404: { status: 400, message: 'job family name not valid' },
  42405: { status: 400, message: 'job family description not valid' },
  42406: { status: 400, message: 'job family name duplicate' },
  42407: { status: 400, message: 'job family has cycle' },
  42408: { status: 400, message: 'parent job family not exist' },
  42409: { status: 400, message: 'parent job family not enable' },
  42411: { status: 400, message: 'job family has child can not delete' },
  41201: { status: 400, message: 'role name is exist' },
  41202: { status: 404, message: 'role id is not exist' },
  41203: { status: 404, message: 'member id is not exist' },
  41208: { status: 400, message: 'tenant role not more 500' },
  // Deleting a role that has members is refused by its docs, whose code table we could not read whole: 41209 here.
  41209: { status: 400, message: 'role has members can not delete' },
  // ── h24-contact-people: contact/v3 user and department writes ──
  40002: { status: 400, message: 'process root dept error' },
  40007: { status: 403, message: 'can not update dept custom id error' },
  40014: { status: 403, message: 'no parent dept authority error' },
  40016: { status: 400, message: 'dept name can not be nul error' },
  40018: { status: 400, message: 'param error' },
  40020: { status: 403, message: 'department do not has a chat error' },
  40021: { status: 400, message: 'no a same request error' },
  41001: { status: 400, message: 'mobile has already exist error' },
  41002: { status: 400, message: 'email has already exist error' },
  41004: { status: 400, message: 'mobile is invalid error' },
  41005: { status: 400, message: 'email is invalid error' },
  41008: { status: 400, message: 'exceed bill seat limit error' },
  41009: { status: 400, message: 'no email or mobile error' },
  41011: { status: 400, message: 'user id already exist error' },
  41012: { status: 400, message: 'user id invalid error' },
  41017: { status: 400, message: 'department is required error' },
  41025: { status: 400, message: 'order department invalid error' },
  41030: { status: 400, message: 'set leader to oneself error' },
  41033: { status: 400, message: 'user in too many departments  error' },
  41036: { status: 400, message: 'avatar key is invalid error' },
  41038: { status: 400, message: 'gender is invalid error' },
  41040: { status: 400, message: 'user name is null error' },
  41043: { status: 400, message: 'employee id is invalid error' },
  41044: { status: 400, message: 'Custom attribute is not set error' },
  41046: { status: 400, message: 'Custom attribute value is not set error' },
  41052: { status: 400, message: 'user resign acceptor is invalid error' },
  41054: { status: 400, message: 'new user id is required  error' },
  41059: { status: 400, message: 'invalid employee type error' },
  41063: { status: 400, message: 'job_title length exceed 100 character' },
  41070: { status: 400, message: 'name length exceed 255 character' },
  43005: { status: 400, message: 'duplicate order error' },
  43007: { status: 400, message: 'duplicated department custom id error' },
  43008: { status: 400, message: 'custom dept id invalid error' },
  43011: { status: 400, message: 'delete has member dept error' },
  43012: { status: 400, message: 'delete has sub dept department error' },
  43013: { status: 400, message: 'dept too many children error' },
  43016: { status: 400, message: 'leaders is repeat' },
  43019: { status: 400, message: 'exceed dept max level' },
  43022: { status: 400, message: 'department name duplicate' },
  43026: { status: 400, message: 'employee type is not valid' },
  43029: { status: 400, message: 'dept name not contain separator' },
  44002: { status: 400, message: 'update order must update department together' },
  44021: { status: 400, message: 'leader is resigned' },
  44022: { status: 400, message: 'leaderID is Invalid' },
  44028: { status: 400, message: 'Exceed recoverable time' },
  44030: { status: 400, message: 'Mobile duplicated' },
  44031: { status: 400, message: 'Email duplicated' },
  44032: { status: 400, message: 'UserID duplicated' },
  44033: { status: 400, message: 'User not resigned' },
  44037: { status: 400, message: 'tenant manager cannot be deleted' },
  44051: { status: 400, message: 'employee_no already existed' },
  // ── h24-contact-integrate: a user's workforce type, job level and family, custom fields, job title and city ──
  41045: { status: 400, message: 'Custom attribute id is not exist error' },
  41047: { status: 400, message: 'Custom attribute href text  is null error' },
  41048: { status: 400, message: 'Custom attribute href url  is null error' },
  41060: { status: 400, message: 'inactive employee type error' },
  44044: { status: 400, message: 'invalid job level id' },
  44045: { status: 400, message: 'invalid job family id' },
  44054: { status: 400, message: 'create user success and create city fail' },
  44055: { status: 400, message: 'create user success and create job title fail' },
  44056: { status: 400, message: 'create user success and create city and job title fail' },
  // ── im/v2 ──
  // ── cardkit/v1 ──
  // CardKit's own sentences (the cardkit-v1 pages' code tables); every one is HTTP 400.
  10002: { status: 400, message: 'invalid request parameter' },
  200220: { status: 400, message: 'Failed to generate card content' },
  200740: { status: 400, message: 'The card entity does not exist' },
  200750: { status: 400, message: 'The card entity has expired' },
  200770: { status: 400, message: 'UUID conflict' },
  200810: { status: 400, message: 'The card is in an ongoing interaction and cannot be updated' },
  200850: { status: 400, message: 'Card streaming timeout' },
  200860: { status: 400, message: 'Card content exceeds limit' },
  300121: { status: 400, message: 'Failed to replace element' },
  300122: { status: 400, message: 'Failed to update card configuration' },
  300301: { status: 400, message: 'Duplicate element_id' },
  300302: { status: 400, message: 'update_multi property is false' },
  300303: { status: 400, message: 'Only schema 2.0 is supported' },
  300305: { status: 400, message: 'The card has more than 200 components' },
  300307: { status: 400, message: 'The card DSL is empty' },
  300309: { status: 400, message: 'Card streaming closed' },
  300310: { status: 400, message: 'Only update text' },
  300311: { status: 400, message: 'app has no permission to update/use this card' },
  300312: { status: 400, message: 'Unable to update element tag' },
  300313: { status: 400, message: 'Failed to update element properties' },
  300314: { status: 400, message: 'Failed to delete element' },
  300315: { status: 400, message: 'Failed to add element' },
  // The docs' table says "sequence number did not increment"; the platform's answers say this.
  300317: { status: 400, message: 'sequence number compare failed' },
  // Files and images.
  234001: { status: 400, message: 'Invalid request param.' },
  234005: { status: 400, message: 'The resource has been deleted.' },
  234006: { status: 400, message: 'The file size exceed the max value.' },
  234008: { status: 400, message: 'The app is not the resource sender.' },
  234010: { status: 400, message: "File's size can't be 0." },
  234011: { status: 400, message: "Can't recognize image format." },
  234039: { status: 400, message: 'Image resolution exceeds limit.' },
} satisfies Record<number, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;

/**
 * The answer for `code`. Without `detail` it is the platform's sentence; with it, the sentence and
 * what went wrong here, which is how the emulator tells a developer more than the platform would.
 */
export function fail(code: ErrorCode, detail?: string, extra?: Record<string, unknown>, headers?: Record<string, string>): PlatformError {
  const e: ErrorEntry = ERRORS[code];
  const message = detail === undefined ? e.message : `${e.sep === undefined ? e.message.replace(/\.$/, '') + ': ' : e.message + e.sep}${detail}`;
  return new PlatformError(e.status, code, message, extra, headers);
}

type VariantOf<C extends ErrorCode> = (typeof ERRORS)[C] extends { variants: infer V } ? keyof V & string : never;

/** The answer for `code` in another of the platform's sentences for it (see `variants`). */
export function failVariant<C extends ErrorCode>(code: C, variant: VariantOf<C>, detail?: string): PlatformError {
  const e: ErrorEntry = ERRORS[code];
  const v = e.variants?.[variant] ?? e.message;
  const { status, message } = typeof v === 'string' ? { status: e.status, message: v } : v;
  return new PlatformError(status, code, detail === undefined ? message : `${message.replace(/\.$/, '')}: ${detail}`);
}

// ── im/v1 messages ──

/** push_follow_up reuses two codes with sentences of its own (its docs' error table). */
const FOLLOW_UP_SENTENCES = { 230002: 'expired message.', 230006: 'only support latest message.' } as const;

/** 230002 or 230006 as push_follow_up answers them. */
export function followUpFail(code: keyof typeof FOLLOW_UP_SENTENCES, detail?: string): PlatformError {
  const sentence = FOLLOW_UP_SENTENCES[code];
  return new PlatformError(ERRORS[code].status, code, detail === undefined ? sentence : `${sentence.replace(/\.$/, '')}: ${detail}`);
}

/** The answer for `code` as message/v4/batch_send gives it: HTTP 200 whatever the code. */
export function failInBody(code: ErrorCode, detail?: string): PlatformError {
  const e = fail(code, detail);
  return new PlatformError(200, e.code, e.message);
}

/** Whether the catalogue knows `code` (the route check compares a route's declared codes with it). */
export function isKnownCode(code: number): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERRORS, code);
}
