// Passage's first pages in real headless Chromium against a real `passage demo`: logging
// in, the home page, the dashboard's charts, the three languages (Arabic right to left, no
// message missing) and axe-core's accessibility rules. Screenshots at 1366x768 go to
// $PASSAGE_SCREENSHOTS (ui-tests/screenshots by default) for a reviewer to look at.

import { test } from "node:test";
import assert from "node:assert/strict";
import { withDemo, demo, page, logIn, noMissingMessage, axe, screenshot } from "./support.mjs";

withDemo();

test("a wrong password is refused and says so; the right one opens the home page", async () => {
  const p = await page();
  await p.goto(`${demo.base}/login`);
  await p.getByLabel("User name").fill("data_analyst.aceh");
  await p.getByLabel("Password").fill("not the password");
  await p.getByRole("button", { name: "Log in" }).click();
  await assert.doesNotReject(p.getByRole("alert").waitFor());
  assert.match(await p.getByRole("alert").innerText(), /wrong/);
  await axe(p, "the login page");
  await screenshot(p, "login");
  await logIn(p, "data_analyst.aceh");
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "What needs doing");
  await axe(p, "the home page");
  await screenshot(p, "home");
  await p.context().close();
});

test("the dashboard draws its six charts, withheld numbers marked in words", async () => {
  const p = await page();
  await logIn(p, "data_analyst.aceh");
  await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
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
  await screenshot(p, "dashboard", true);
  await p.context().close();
});

test("Arabic reads right to left with every message translated, and the choice sticks", async () => {
  const p = await page();
  await p.goto(`${demo.base}/login?lang=ar`);
  assert.equal(await p.locator("html").getAttribute("dir"), "rtl");
  assert.equal(await p.locator("html").getAttribute("lang"), "ar");
  await noMissingMessage(p);
  await logIn(p, "data_analyst.aceh");
  await p.goto(`${demo.base}/dashboard`);
  assert.equal(await p.locator("html").getAttribute("dir"), "rtl", "the language stuck");
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "لوحة المعلومات");
  await noMissingMessage(p);
  await axe(p, "the Arabic dashboard");
  await screenshot(p, "dashboard-ar", true);
  await p.context().close();
});

test("a browser asking for Chinese gets Chinese", async () => {
  const p = await page("zh-CN");
  await p.goto(`${demo.base}/login`);
  assert.equal(await p.locator("html").getAttribute("lang"), "zh-CN");
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "登录");
  await noMissingMessage(p);
  await logIn(p, "data_analyst.aceh");
  await noMissingMessage(p);
  await screenshot(p, "home-zh");
  await p.context().close();
});

test("a role without statistics is told so on the dashboard, and can log out", async () => {
  const p = await page();
  await logIn(p, "registration_clerk.aceh");
  const starts = p.locator("ul.starts a");
  assert.ok((await starts.allInnerTexts()).includes("Registration"), "a clerk starts at registration");
  assert.ok(!(await starts.allInnerTexts()).includes("Dashboard"), "and is not offered the dashboard");
  await p.goto(`${demo.base}/dashboard`);
  assert.match(await p.getByRole("alert").innerText(), /do not include statistics/);
  const forged = await p.request.post(`${demo.base}/logout`, { form: { csrf: "not the token" } });
  assert.equal(forged.status(), 403, "a logout without the session's token is refused");
  await p.getByRole("button", { name: "Log out" }).click();
  await p.waitForURL(`${demo.base}/login`);
  await p.goto(`${demo.base}/dashboard`);
  assert.equal(p.url(), `${demo.base}/login`, "logged out: back to the login page");
  await p.context().close();
});

test("a caseworker's home lists the children waiting, each a link to where the work is", async () => {
  const p = await page();
  await logIn(p, "child_protection_caseworker.aceh");
  const queue = p.locator("section.queue", { hasText: "Children without a best-interests assessment" });
  assert.match(await queue.getByRole("heading").innerText(), /\(8\)/);
  const links = queue.locator("tbody a");
  assert.equal(await links.count(), 8, "every child waiting is listed with a link");
  for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
    assert.match(href, /^\/(cases|persons)\/[0-9a-f-]{36}$/);
  }
  await noMissingMessage(p);
  await axe(p, "a caseworker's home page");
  await screenshot(p, "home-caseworker");
  await p.context().close();
});

test("the dashboard's filters: a site picked from a list, a wrong code said so", async () => {
  const p = await page();
  await logIn(p, "data_analyst.aceh");
  await p.goto(`${demo.base}/dashboard?site=NOPE&nationality=Narnia`);
  const alert = await p.getByRole("alert").innerText();
  assert.match(alert, /no site with the code \u2068?NOPE/);
  assert.match(alert, /Narnia/);
  await p.getByLabel("Site").selectOption("PDE");
  await p.getByLabel("Nationality").fill("");
  await p.getByRole("button", { name: "Show" }).click();
  await p.waitForURL(/site=PDE/);
  const arrived = await p.getByRole("img", { name: "People arriving, by month" }).locator("text.value").allTextContents();
  assert.ok(arrived.includes("600"), `the landing at PDE: ${arrived}`);
  await axe(p, "the filtered dashboard");
  await p.context().close();
});

test("pages are kept out of the cache and other sites' frames; a malformed address or a form from another site is explained, not obeyed", async () => {
  const p = await page();
  await logIn(p, "site_manager.aceh");
  const home = await p.goto(`${demo.base}/`);
  assert.equal(home.headers()["cache-control"], "no-store");
  assert.equal(home.headers()["x-frame-options"], "DENY");
  const csrf = await p.locator('meta[name="csrf-token"]').getAttribute("content");
  const bad = await p.goto(`${demo.base}/sites/not-an-id`);
  assert.equal(bad.status(), 400);
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "The request was not understood");
  await noMissingMessage(p);
  const forged = await p.request.post(`${demo.base}/logout`, {
    headers: { Origin: "http://elsewhere.example" },
    form: { csrf },
  });
  assert.equal(forged.status(), 403, "a form from another site is refused, even with the token");
  await p.goto(`${demo.base}/`);
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "What needs doing", "still logged in");
  await p.context().close();
});
