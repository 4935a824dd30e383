// Passage's pages in real headless Chromium against a real `passage demo`: logging in,
// the home page, the dashboard's charts, the three languages (Arabic right to left, no
// message missing) and axe-core's accessibility rules. Screenshots at 1366x768 go to
// $PASSAGE_SCREENSHOTS (ui-tests/screenshots by default) for a reviewer to look at.
//
// PASSAGE_BIN names the binary (target/debug/passage by default), CHROMIUM the browser
// (/usr/bin/chromium). Under CI=true a missing browser or binary fails; it never skips.

import { test, before, after } from "node:test";
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
const shots = process.env.PASSAGE_SCREENSHOTS ?? join(here, "screenshots");
const axeSource = readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8");
const password = "passage-demo";

let server;
let base;
let browser;
let workdir;

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
  base = await new Promise((resolve, reject) => {
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
  browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

async function page(lang) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: lang ?? "en-GB",
  });
  return context.newPage();
}

async function logIn(p, username) {
  await p.goto(`${base}/login`);
  await p.getByLabel(/user name|用户名|اسم المستخدم/i).fill(username);
  await p.getByLabel(/password|密码|كلمة المرور/i).fill(password);
  await p.keyboard.press("Enter");
  await p.waitForURL(`${base}/`);
}

async function noMissingMessage(p) {
  const text = await p.locator("body").innerText();
  assert.ok(!text.includes("⟦"), `a message is missing: ${text.match(/⟦[^⟧]*⟧/)?.[0]}`);
}

async function axe(p, name) {
  await p.addScriptTag({ content: axeSource });
  const result = await p.evaluate(async () => await globalThis.axe.run(document));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`),
    [],
    `serious accessibility problems on ${name}`,
  );
}

test("a wrong password is refused and says so; the right one opens the home page", async () => {
  const p = await page();
  await p.goto(`${base}/login`);
  await p.getByLabel("User name").fill("data_analyst.aceh");
  await p.getByLabel("Password").fill("not the password");
  await p.getByRole("button", { name: "Log in" }).click();
  await assert.doesNotReject(p.getByRole("alert").waitFor());
  assert.match(await p.getByRole("alert").innerText(), /wrong/);
  await axe(p, "the login page");
  await p.screenshot({ path: join(shots, "login.png") });
  await logIn(p, "data_analyst.aceh");
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "What needs doing");
  await axe(p, "the home page");
  await p.screenshot({ path: join(shots, "home.png") });
  await p.context().close();
});

test("the dashboard draws its six charts, withheld numbers marked in words", async () => {
  const p = await page();
  await logIn(p, "data_analyst.aceh");
  await p.getByRole("link", { name: "Dashboard" }).click();
  const charts = p.locator("figure.chart svg");
  assert.equal(await charts.count(), 6);
  for (let i = 0; i < 6; i++) {
    const box = await charts.nth(i).boundingBox();
    assert.ok(box && box.width > 100 && box.height > 10, `chart ${i} is drawn`);
  }
  const values = async (name) =>
    p.getByRole("img", { name }).locator("text.value").allTextContents();
  // The demo's landing: 600 people registered from it; the rescue: 9 dead, 22 missing.
  assert.ok((await values("People arriving, by month")).includes("600"), "the landing is counted");
  const lost = await values("Dead and missing, by route");
  assert.ok(lost.includes("9") && lost.includes("22"), `dead and missing: ${lost}`);
  const pyramid = (await values("Population by sex and age")).filter((v) => /^\d+$/.test(v));
  const people = pyramid.reduce((sum, v) => sum + Number(v), 0);
  assert.ok(people > 300, `the pyramid counts the people registered one by one: ${pyramid}`);
  const cases = await values("Cases by procedure");
  assert.ok(cases.some((v) => v === "<5" || v === "x"), `a small number is withheld: ${cases}`);
  await axe(p, "the dashboard");
  await p.screenshot({ path: join(shots, "dashboard.png"), fullPage: true });
  await p.context().close();
});

test("Arabic reads right to left with every message translated, and the choice sticks", async () => {
  const p = await page();
  await p.goto(`${base}/login?lang=ar`);
  assert.equal(await p.locator("html").getAttribute("dir"), "rtl");
  assert.equal(await p.locator("html").getAttribute("lang"), "ar");
  await noMissingMessage(p);
  await logIn(p, "data_analyst.aceh");
  await p.goto(`${base}/dashboard`);
  assert.equal(await p.locator("html").getAttribute("dir"), "rtl", "the language stuck");
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "لوحة المعلومات");
  await noMissingMessage(p);
  await axe(p, "the Arabic dashboard");
  await p.screenshot({ path: join(shots, "dashboard-ar.png"), fullPage: true });
  await p.context().close();
});

test("a browser asking for Chinese gets Chinese", async () => {
  const p = await page("zh-CN");
  await p.goto(`${base}/login`);
  assert.equal(await p.locator("html").getAttribute("lang"), "zh-CN");
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "登录");
  await noMissingMessage(p);
  await logIn(p, "data_analyst.aceh");
  await noMissingMessage(p);
  await p.screenshot({ path: join(shots, "home-zh.png") });
  await p.context().close();
});

test("a role without statistics is told so on the dashboard, and can log out", async () => {
  const p = await page();
  await logIn(p, "registration_clerk.aceh");
  await p.goto(`${base}/dashboard`);
  assert.match(await p.getByRole("alert").innerText(), /do not include statistics/);
  const forged = await p.request.post(`${base}/logout`, { form: { csrf: "not the token" } });
  assert.equal(forged.status(), 403, "a logout without the session's token is refused");
  await p.getByRole("button", { name: "Log out" }).click();
  await p.waitForURL(`${base}/login`);
  await p.goto(`${base}/dashboard`);
  assert.equal(p.url(), `${base}/login`, "logged out: back to the login page");
  await p.context().close();
});
