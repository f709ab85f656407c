import { jsonTooDeep, MAX_JSON_DEPTH, PlatformError } from './http.js';

/** The ErrMsg text of the platform's 200621 sub-code (the im/v1/messages docs' sub-code table). */
export const PARSE_ERR_MSG = 'parse card json err, please check whether the card json is correct';

/** 230099 with the sub-code embedded the way the platform formats it (ErrPath only where it names a place). */
export function cardBuildError(subCode: number, errPath: string | null, errMsg: string, value?: string): PlatformError {
  const ext = `ErrCode: ${subCode};${errPath ? ` ErrPath: ${errPath};` : ''} ErrMsg: ${errMsg};${value ? ` ErrorValue: ${value};` : ''} `;
  return new PlatformError(400, 230099, `Failed to create card content, ext=${ext}`);
}

/**
 * Card and post content arrives as a JSON string inside the body, so the body's depth check never
 * sees it: a string of thousands of nested brackets would overflow the stack of whatever walks it.
 */
export function refuseDeepContent(text: string): void {
  if (jsonTooDeep(text)) throw cardBuildError(200621, null, PARSE_ERR_MSG, `the JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
}
