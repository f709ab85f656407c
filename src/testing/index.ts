/**
 * `<package>/testing`: drive the emulator from a bot project's own tests. Start an emulator in the
 * test process, point the bot (or the official SDK) at its `url`, then act as a user (click, choose,
 * pick, type, submit forms, write to the bot) and assert on what the bot sends and answers.
 *
 * @packageDocumentation
 */
export { BotFailureError, startEmulator, TestEmulator, TestEmulatorError, TestUser } from './emulator.js';
export type { ClickResult, DeliveryFilter, MessageFilter, TestApp, TestEmulatorOptions, TestMessage, TestReaction } from './emulator.js';
export type { CardElement, ElementTarget } from './elements.js';
export type { FileInput, PostInput, SendContent } from './user-messages.js';
export type { TestChat } from './user-chats.js';
export { interactiveElements, textOf } from './elements.js';
export { cardAsText, type CardAsTextOptions, type People } from './card-text.js';
export type { Card, CardComponent, CardV1, CardV2 } from '../card/types.js';
export type { Interaction } from '../emulator/interactions.js';
export type { DeliveryRecord } from '../emulator/store.js';
export type { LoggedRequest } from '../emulator/core.js';
export type { SeedFile } from '../emulator/seed.js';
export type { PastedLinkResult, TestLinkPreview } from './user-menu-links.js';
