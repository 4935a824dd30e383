// The information sheet a registered person takes away, in seven languages (Arabic, Dari
// and Pashto right to left), with a receipt for each consent; and the language of the
// pages kept with the user, so that it follows them to another browser.

import { test } from "node:test";
import assert from "node:assert/strict";
import { withDemo, demo, page, logIn, noMissingMessage, axe, screenshot } from "./support.mjs";

withDemo();

/// The JSON API with the page's session cookie and CSRF token.
async function api(p, method, path, data) {
  const csrf = await p.locator('meta[name="csrf-token"]').getAttribute("content");
  const r = await p.request.fetch(`${demo.base}${path}`, {
    method,
    headers: { "x-csrf-token": csrf },
    data,
  });
  assert.ok(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`);
  return r.json();
}

test("the information sheet speaks the person's language and gives a receipt per consent", async () => {
  // Two organisations the person may agree to share with, as the administrator sees them.
  const admin = await page();
  await logIn(admin, "administrator.aceh");
  const orgs = await api(admin, "GET", "/api/v1/organisations");
  const list = (Array.isArray(orgs) ? orgs : orgs.items).map((o) => ({ id: o.id, name: o.details?.name ?? o.name }));
  assert.ok(list.length >= 2, "the demo has organisations");
  await admin.context().close();

  const p = await page();
  await logIn(p, "registration_clerk.aceh");
  const persons = await api(p, "GET", "/api/v1/persons?limit=1");
  const person = persons.items[0];
  assert.ok(person?.id, "the clerk sees a person");
  const [first, second] = list;
  await api(p, "POST", `/api/v1/persons/${person.id}/consents`, { recipient_id: first.id, scope: "tracing" });
  const other = await api(p, "POST", `/api/v1/persons/${person.id}/consents`, {
    recipient_id: second.id,
    scope: "other",
    description: "health follow-up",
  });
  await api(p, "POST", `/api/v1/consents/${other.id}/withdraw`);

  const sheet = p.locator("article.information-sheet");
  await p.goto(`${demo.base}/persons/${person.id}/information?lang=en`);
  assert.equal(await sheet.getAttribute("lang"), "en");
  assert.equal(await sheet.getAttribute("dir"), "ltr");
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "Information for you");
  assert.match(await sheet.innerText(), new RegExp(person.registration_number));
  const receipts = p.locator(".information-receipt");
  assert.equal(await receipts.count(), 2);
  assert.match(await receipts.nth(0).innerText(), new RegExp(`${first.name}[\\s\\S]*finding your family[\\s\\S]*in force`));
  assert.match(await receipts.nth(1).innerText(), /health follow-up[\s\S]*withdrawn on/);
  assert.match(await p.locator(".information-shared").innerText(), new RegExp(first.name));
  assert.doesNotMatch(await p.locator(".information-shared").innerText(), new RegExp(second.name));
  await noMissingMessage(p);
  await axe(p, "the information sheet in English");
  await screenshot(p, "information-en");
  // Opening the sheet in another language leaves the pages in English.
  assert.equal(await p.locator("html").getAttribute("lang"), "en");

  const languages = [
    ["my", "ltr", "Burmese"],
    ["bn", "ltr", "Bengali"],
    ["prs", "rtl", "Dari"],
    ["ps", "rtl", "Pashto"],
    ["ar", "rtl", "Arabic"],
    ["zh-CN", "ltr", "Chinese"],
  ];
  for (const [tag, dir, name] of languages) {
    await p.goto(`${demo.base}/persons/${person.id}/information?lang=${tag}`);
    assert.equal(await sheet.getAttribute("lang"), tag, name);
    assert.equal(await sheet.getAttribute("dir"), dir, name);
    assert.equal(await p.locator("html").getAttribute("lang"), "en", `${name}: the pages stay English`);
    assert.equal(await p.locator(".information-receipts").count(), 1, name);
    assert.equal(await receipts.count(), 2, name);
    assert.doesNotMatch(await sheet.innerText(), /Information for you/, `${name} is translated`);
    await noMissingMessage(p);
    if (tag === "ar") await axe(p, "the information sheet in Arabic");
    if (tag === "my" || tag === "prs") await screenshot(p, `information-${tag}`);
  }
  // The sheet offers the other languages by their own names.
  await p.getByRole("link", { name: "বাংলা" }).click();
  assert.equal(await sheet.getAttribute("lang"), "bn");
  await p.context().close();
});

test("the information sheet is for those who may read the person", async () => {
  const p = await page();
  await logIn(p, "registration_clerk.aceh");
  const persons = await api(p, "GET", "/api/v1/persons?limit=1");
  const id = persons.items[0].id;
  await p.context().close();

  const analyst = await page();
  await logIn(analyst, "data_analyst.aceh");
  const r = await analyst.goto(`${demo.base}/persons/${id}/information`);
  assert.equal(r.status(), 403);
  const missing = await analyst.goto(`${demo.base}/persons/00000000-0000-7000-8000-000000000000/information`);
  assert.ok([403, 404].includes(missing.status()));
  await analyst.context().close();
});

test("the language a user picks follows them to another browser", async () => {
  const p = await page("en-GB");
  await logIn(p, "screening_officer.aceh");
  await p.goto(`${demo.base}/?lang=zh-CN`);
  assert.equal(await p.locator("html").getAttribute("lang"), "zh-CN");
  await p.getByRole("button", { name: "退出" }).or(p.locator("form.logout button")).first().click();
  await p.waitForURL(`${demo.base}/login`);
  await p.context().clearCookies();
  await p.context().close();

  // A fresh browser asking for English: after login the pages are in Chinese.
  const fresh = await page("en-GB");
  await logIn(fresh, "screening_officer.aceh");
  assert.equal(await fresh.locator("html").getAttribute("lang"), "zh-CN");
  await noMissingMessage(fresh);
  assert.doesNotMatch(await fresh.locator("h1").innerText(), /What needs doing/);
  await fresh.goto(`${demo.base}/dashboard`);
  assert.equal(await fresh.locator("html").getAttribute("lang"), "zh-CN");
  // The administrator sees it in the users API.
  const admin = await page();
  await logIn(admin, "administrator.aceh");
  const users = await api(admin, "GET", "/api/v1/users");
  const officer = (Array.isArray(users) ? users : users.items).find((u) => u.username === "screening_officer.aceh");
  assert.equal(officer.language, "zh-CN");
  await admin.context().close();
  // Picking English again keeps English.
  await fresh.goto(`${demo.base}/?lang=en`);
  await fresh.context().clearCookies();
  const again = await page("zh-CN");
  await logIn(again, "screening_officer.aceh");
  assert.equal(await again.locator("html").getAttribute("lang"), "en");
  await again.context().close();
  await fresh.context().close();
});
