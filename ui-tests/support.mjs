// What every browser test file shares: a real `passage demo` on a port the system picks,
// headless Chromium (Debian's, never downloaded), logging in, and the checks run on every
// page (no message missing, axe-core's serious and critical rules).
//
// PASSAGE_BIN names the binary (target/debug/passage by default), CHROMIUM the browser
// (/usr/bin/chromium). Under CI=true a missing browser or binary fails; it never skips.

import { before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.PASSAGE_BIN ?? join(here, "../target/debug/passage");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const shots = process.env.PASSAGE_SCREENSHOTS ?? join(here, "screenshots");
const axeSource = readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8");
export const password = "passage-demo";

/// The demo and the browser of one test file: `demo.base` is the server's address.
export const demo = { base: undefined, browser: undefined };

let server;
let workdir;

/// Starts a fresh demo and the browser before the file's tests, stops both after.
export function withDemo() {
  before(async () => {
    for (const [what, path] of [["passage binary", bin], ["chromium", browserPath]]) {
      assert.ok(existsSync(path), `${what} not found at ${path}`);
    }
    mkdirSync(shots, { recursive: true });
    workdir = mkdtempSync(join(tmpdir(), "passage-ui-"));
    // Port 0: the system picks a free port, and the demo prints the address it got.
    server = spawn(bin, ["demo", "--database", join(workdir, "demo.db"), "--bind", "127.0.0.1:0"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    demo.base = await new Promise((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${out}`)), 180_000);
      server.stdout.on("data", (chunk) => {
        out += chunk;
        const m = out.match(/passage listening on (http:\/\/\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      server.on("exit", (code) => reject(new Error(`the demo exited (${code}):\n${out}`)));
    });
    demo.browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
  });
  after(async () => {
    await demo.browser?.close();
    server?.kill("SIGTERM");
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });
}

/// A new page at 1366x768, its browser asking for `lang` (English by default).
export async function page(lang) {
  const context = await demo.browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: lang ?? "en-GB",
  });
  return context.newPage();
}

/// Logs in on the login page as `username` (any of the three languages) and waits for home.
export async function logIn(p, username) {
  await p.goto(`${demo.base}/login`);
  await p.getByLabel(/user name|用户名|اسم المستخدم/i).fill(username);
  await p.getByLabel(/password|密码|كلمة المرور/i).fill(password);
  await p.keyboard.press("Enter");
  await p.waitForURL(`${demo.base}/`);
}

/// Fails when a message of the page is missing in its language (shown as ⟦id⟧).
export async function noMissingMessage(p) {
  const text = await p.locator("body").innerText();
  assert.ok(!text.includes("⟦"), `a message is missing: ${text.match(/⟦[^⟧]*⟧/)?.[0]}`);
}

/// Fails on any serious or critical accessibility problem axe-core finds on the page.
export async function axe(p, name) {
  await p.addScriptTag({ content: axeSource });
  const result = await p.evaluate(async () => await globalThis.axe.run(document));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`),
    [],
    `serious accessibility problems on ${name}`,
  );
}

/// Writes a screenshot of the page for a reviewer.
export async function screenshot(p, name, fullPage = false) {
  await p.screenshot({ path: join(shots, `${name}.png`), fullPage });
}
