import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, Sandbox } from '../helpers/cli.js';

/**
 * Output that scripts and people rely on, pinned whole: help text, the `--json` envelopes of a
 * success and of each kind of failure, and lint reports. A change here is a change of contract:
 * review the diff, then update with `npx vitest run -u <this file>`.
 */
const sb = new Sandbox();
afterAll(() => sb.cleanup());

const REPO = FIXTURES.replace(/fixtures\/$/, '');

/** The JSON with this machine's paths replaced by <sandbox>/ and <repo>/. */
function scrub(json: unknown): unknown {
  return JSON.parse(JSON.stringify(json).replaceAll(`${sb.dir}/`, '<sandbox>/').replaceAll(REPO, '<repo>/'));
}

/** A card with one error and one warning lint finds, written into the sandbox. */
function cardWithProblems(): string {
  const file = join(sb.dir, 'problems.json');
  writeFileSync(file, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }, { tag: 'no_such_tag' }] } }, null, 2));
  return file;
}

describe('help text', () => {
  it('card --help', async () => {
    const r = await sb.run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "Usage: card [options] [command]

      Build, send and test Feishu / Lark interactive message cards.

      Options:
        -V, --version                            output the version number
        --profile <name>                         stored credentials to use (default: the active profile)
        --json                                   write exactly one JSON document to stdout
        --base-url <url>                         Open API base: feishu, lark, or a URL (env CARD_BASE_URL)
        --app-id <id>                            app id (env CARD_APP_ID)
        --verbose                                log each HTTP request on stderr (secrets redacted) and show stack traces
        --timeout <duration>                     request timeout, e.g. 5000 or 5s (default 15s)
        --no-color                               no colour in output
        -h, --help                               display help for command

      Commands:
        token [options]                          get a tenant_access_token (cached across runs)
        lookup-user [options] <mobile|email...>  turn mobiles and emails into user ids (contact/v3/users/batch_get_id)
        create-chat [options]                    create a test group chat with the bot in it
        chat                                     find and clean up the group chats the bot is in
        send [options] [card]                    send a card (JSON 1.0 or 2.0, or a template) to users or chats
        update [options] [message_id] [card]     update a sent card in place (PATCH; shared cards only; WPS: by ctx_id), or with a callback token
        recall [options] <message_id>            recall (delete) a message the bot sent
        upload-image [options] <file>            upload an image (im/v1/images) and print its img_ key for cards
        stream [options] [command...]            stream text from stdin (or a command) into a CardKit card as it arrives (the typewriter effect)
        profile                                  stored app credentials
        lint [options] <card...>                 check card JSON (1.0 and 2.0) against the platform's rules before sending it
        preview [options] <card>                 render a card to a self-contained HTML page like the client shows it, or a PNG
        replay-callback [options] [fixture...]   POST recorded card callbacks at your handler, signed and encrypted as the platform does, and check its answers
        listen [options]                         receive real callbacks, check their signatures, save them as fixtures, and optionally forward them
        fixtures                                 the callback fixtures shipped with card
        demo [options]                           run the whole loop against an embedded emulator
        emulator [options]                       run the local Open API emulator (Ctrl-C to stop)
        inbox                                    act as a person in a running emulator's inbox: read, click, fill, write, react, send, act on chats (for scripts and agents)
        mcp [options]                            serve card to coding agents as a Model Context Protocol server on stdio: lint, preview, an emulator, its inbox
        help [command]                           display help for command

      Exit codes:
        0   ok
        1   the platform (or emulator) refused the request
        2   bad input or usage
        3   authentication or permission (a missing scope is named, with the console link)
        4   network or timeout
        5   a check failed (replay expectations, lint)
        70  internal error in card

      Environment:
        CARD_APP_ID, CARD_APP_SECRET   app credentials (also FEISHU_* and LARK_*)
        CARD_ENCRYPT_KEY               Encrypt Key for replay-callback and listen
        CARD_VERIFICATION_TOKEN        Verification Token for replay-callback and listen
        CARD_PROFILE                   profile to use (like --profile: not mixed with the environment)
        CARD_TIMEOUT                   request timeout, like --timeout
        CARD_BASE_URL                  Open API base: feishu, lark, or a URL such as the emulator's
        CARD_CONFIG_DIR                where profiles and the token cache live
        NO_COLOR, FORCE_COLOR          colour control

      "
    `);
  });

  it('card send --help', async () => {
    const r = await sb.run(['send', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "Usage: card send [options] [card]

      send a card (JSON 1.0 or 2.0, or a template) to users or chats

      Arguments:
        card                              card JSON file, or - for stdin

      Options:
        --to <receiver>                   open_id (ou_), union_id (on_), chat_id
                                          (oc_), email or mobile (repeatable)
        --to-type <type>                  receive_id_type for receivers of another
                                          shape (choices: "open_id", "union_id",
                                          "user_id", "email", "chat_id")
        --uuid <key>                      idempotency key (default: generated and
                                          printed); the same key never sends twice
                                          within an hour
        --dry-run                         print the exact request and send nothing
        --reply-to <message_id>           reply to this message (om_…) in its chat,
                                          instead of --to
        --in-thread                       with --reply-to: reply in a thread
        --ephemeral <user>                show the card only to this member of the
                                          --to oc_… group (open_id, email, mobile or
                                          user_id)
        --upload-images                   upload the local image files the card names
                                          (img_key, markdown images) and send their
                                          keys
        --images-dir <dir>                with --upload-images: the folder the images
                                          must be in (default: the card's folder)
        --to-file <file>                  bulk: one receiver per row, CSV (to,
                                          to_type, variables…) or NDJSON
        --results <file>                  bulk: per-row results (default:
                                          <to-file>.results.ndjson)
        --resume                          bulk: continue a run: rows the results file
                                          says were sent are skipped, matched by
                                          receiver and variables
        --resend-unknown                  bulk: with --resume, send again rows whose
                                          outcome is unknown and whose uuid has
                                          expired (they may arrive twice)
        --rate <limits>                   bulk: the app's limits to stay under, e.g.
                                          50/s,1000/min (default: the platform's)
        --concurrency <n>                 bulk: requests in flight (default 16)
        --to-users <company_id:uid,...>   WPS: users of one company
        --to-depts <company_id:dept,...>  WPS: departments of one company
        --to-companies <id>               WPS: a whole company
        --biz-type <type>                 WPS: the business type of the message
        --ctx-id <id>                     WPS: id for later updates and callbacks, at
                                          most 36 characters (made for you with
                                          --utype 1)
        --utype <0|1>                     WPS: 1 when the card will be updated later
        --company-uid <uid>               WPS: the user who produces the message (for
                                          updates)
        --template <id>                   send a published template instead of a card
                                          file
        --template-version <version>      template version (default: the latest
                                          published)
        --var <name=value>                template variable; the value is JSON if it
                                          parses, else text (repeatable)
        --vars <file>                     template variables from a JSON object file
        --no-lint                         skip card lint: send the card as it is and
                                          let the platform judge it
        -h, --help                        display help for command

      Examples:
        $ card send card.json --to alice@corp.com
        $ card send --template AAqDemoApprov --var applicant=Alice --var amount=42 --to oc_xxx
        $ cat card.json | card send - --to ou_xxx --json
        $ card send card.json --reply-to om_xxx --in-thread
        $ card send card.json --to oc_xxx --ephemeral alice@corp.com
        $ card send report.json --to oc_xxx --upload-images      # "img_key": "./chart.png" becomes an img_ key
        $ card send --template AAqDemoApprov --to-file people.csv          # columns: to,applicant,amount
        $ card send --template AAqDemoApprov --to-file people.csv --resume
      "
    `);
  });

  it('card lint --help', async () => {
    const r = await sb.run(['lint', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "Usage: card lint [options] <card...>

      check card JSON (1.0 and 2.0) against the platform's rules before sending it

      Arguments:
        card                         card JSON files, or - for stdin

      Options:
        --format <format>            human, json or sarif (default: human)
        --template-vars <vars.json>  values for \${name} placeholders: check each is
                                     supplied and fits where it lands
        --platform <platform>        feishu or wps (default: a WPS card is recognised
                                     by its shape)
        --cardkit                    also check the rules of a CardKit card entity (on
                                     by itself when the card sets
                                     config.streaming_mode)
        -h, --help                   display help for command

      Examples:
        $ card lint card.json
        $ card lint stream-card.json --cardkit
        $ card lint cards/*.json --format sarif > lint.sarif
        $ card lint template-card.json --template-vars vars.json
      "
    `);
  });
});

describe('--json envelopes', () => {
  it('a usage error', async () => {
    const r = await sb.run(['send', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(r.json).toMatchInlineSnapshot(`
      {
        "error": {
          "code": null,
          "hint": null,
          "log_id": null,
          "message": "say who gets the card: --to <open_id|union_id|chat_id|email|mobile> (repeatable)",
          "type": "usage",
        },
        "ok": false,
      }
    `);
  });

  it('no credentials anywhere: a usage error that says where they go', async () => {
    const r = await sb.run(['token', '--json'], { env: { CARD_APP_ID: undefined, CARD_APP_SECRET: undefined } });
    expect(r.code).toBe(2);
    expect(r.json).toMatchInlineSnapshot(`
      {
        "error": {
          "code": null,
          "hint": "Set CARD_APP_ID and CARD_APP_SECRET, or store them: card profile add <name> --app-id cli_… (the secret is asked for).",
          "log_id": null,
          "message": "no app id or app secret to authenticate with",
          "type": "usage",
        },
        "ok": false,
      }
    `);
  });

  it('a network error: nothing listens at the base URL', async () => {
    const r = await sb.run(['token', '--json', '--timeout', '2s'], { env: { CARD_BASE_URL: 'http://127.0.0.1:9', CARD_APP_ID: 'cli_contract0000001', CARD_APP_SECRET: 'made-up-secret' } });
    expect(r.code).toBe(4);
    expect(r.json).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "ECONNREFUSED",
          "hint": "Nothing is listening there. Is the emulator (or the handler) running?",
          "log_id": null,
          "message": "cannot reach 127.0.0.1:9 (ECONNREFUSED)",
          "type": "network",
        },
        "ok": false,
      }
    `);
  });

  it('a check that failed: lint errors', async () => {
    const r = await sb.run(['lint', cardWithProblems(), '--json']);
    expect(r.code).toBe(5);
    expect(scrub(r.json)).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "lint_failed",
          "details": {
            "errors": 1,
            "files": [
              {
                "errors": 1,
                "file": "<sandbox>/problems.json",
                "problems": [
                  {
                    "column": 16,
                    "line": 10,
                    "message": ""no_such_tag" is not a component of JSON 2.0",
                    "pointer": "/body/elements/1/tag",
                    "rule": "unknown-tag",
                    "severity": "error",
                  },
                ],
                "version": "2.0",
                "warnings": 0,
              },
            ],
            "warnings": 0,
          },
          "hint": "Each problem has its rule, JSON pointer, line and column.",
          "log_id": null,
          "message": "lint found 1 error, 0 warnings in 1 file",
          "type": "check",
        },
        "ok": false,
      }
    `);
  });

  it('a success: a clean card linted', async () => {
    const r = await sb.run(['lint', join(FIXTURES, 'cards', 'approval.v2.json'), '--json']);
    expect(r.code).toBe(0);
    expect(scrub(r.json)).toMatchInlineSnapshot(`
      {
        "data": {
          "errors": 0,
          "files": [
            {
              "errors": 0,
              "file": "<repo>/fixtures/cards/approval.v2.json",
              "problems": [],
              "version": "2.0",
              "warnings": 0,
            },
          ],
          "warnings": 0,
        },
        "ok": true,
      }
    `);
  });
});

describe('lint reports', () => {
  it('for a person', async () => {
    const file = cardWithProblems();
    const r = await sb.run(['lint', file]);
    expect(r.code).toBe(5);
    expect((r.stdout + r.stderr).replaceAll(file, '<file>')).toMatchInlineSnapshot(`
      "<file>  (JSON 2.0)
        10:16   error    "no_such_tag" is not a component of JSON 2.0  unknown-tag /body/elements/1/tag
      ✗ lint found 1 error, 0 warnings in 1 file [lint_failed]
      "
    `);
  });
});
