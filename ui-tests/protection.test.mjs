// Protection pages in real headless Chromium against a real `passage demo`: a screening
// officer screens an unaccompanied child and confirms the urgent child-protection
// referral; a return caseworker cannot schedule the return of a person whose asylum claim
// is pending, and the page says why; the referral queue and a referral's steps; the case
// page in Arabic and the screening in Chinese. axe-core on every page.

import { test } from "node:test";
import assert from "node:assert/strict";
import { withDemo, demo, page, logIn, noMissingMessage, axe, screenshot } from "./support.mjs";

withDemo();

/// The JSON API with the page's session: GET, or POST with the CSRF token of the page.
async function api(p, method, path, body) {
  if (method === "GET") {
    const r = await p.request.get(`${demo.base}${path}`);
    assert.ok(r.ok(), `GET ${path}: ${r.status()}`);
    return r.json();
  }
  const csrf = await p.locator('meta[name="csrf-token"]').getAttribute("content");
  const r = await p.request.post(`${demo.base}${path}`, {
    data: body,
    headers: { "X-CSRF-Token": csrf },
  });
  assert.ok(r.ok(), `POST ${path}: ${r.status()} ${await r.text()}`);
  return r.json();
}

/// A child of the demo's landing nobody has screened yet.
async function unscreenedChild(p) {
  const persons = await api(p, "GET", "/api/v1/persons?limit=500");
  const children = persons.items.filter(
    (x) => x.relationship === "child" && x.details.date_of_birth?.date > "2012-01-01",
  );
  for (const c of children) {
    if ((await api(p, "GET", `/api/v1/persons/${c.id}/screenings`)).length === 0) return c;
  }
  assert.fail("the demo has no unscreened child");
}

let returnCase;
let outcomePage;

test("a screening officer screens an unaccompanied child and confirms the urgent referral", async () => {
  const p = await page();
  await logIn(p, "screening_officer.aceh");
  const child = await unscreenedChild(p);
  await p.goto(`${demo.base}/persons/${child.id}/screen`);
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "Protection screening");
  // Who the child travels with is asked only below 18: hidden until the age says so.
  assert.ok(await p.locator("#q-travelling_with").isHidden(), "asked only of a child");
  await p.getByLabel(/How old are you/).fill("13");
  assert.ok(await p.locator("#q-travelling_with").isVisible(), "shown once the age is a child's");
  await p.getByLabel("Alone, or with people who are not family").check();
  // Sent without the other required answers: each comes back at its question, and what
  // was typed stays.
  await p.getByRole("button", { name: "Record the screening" }).click();
  assert.match(await p.locator("#e-reasons_for_leaving").innerText(), /required/);
  assert.match(await p.locator("#e-fear_of_return").innerText(), /required/);
  assert.equal(await p.getByLabel(/How old are you/).inputValue(), "13");
  assert.ok(await p.getByLabel("Alone, or with people who are not family").isChecked());
  await p.getByLabel("War or violence").check();
  await p.locator("#a-fear_of_return-no").check();
  await p.locator("#a-wants_asylum-no").check();
  await p.locator("#a-family_missing-yes").check();
  await noMissingMessage(p);
  await axe(p, "the screening interview");
  await p.evaluate(() => window.scrollTo(0, 0));
  await screenshot(p, "protection-screening");
  await p.getByRole("button", { name: "Record the screening" }).click();
  await p.waitForURL(/\/screenings\//);
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "Screening outcome");
  const body = await p.locator("main").innerText();
  assert.match(body, /Unaccompanied child: no parent/);
  const urgent = p.locator(".proposal.pressing", { hasText: "Child protection" });
  assert.match(await urgent.innerText(), /URGENT/, "the urgency is said in words");
  assert.match(await urgent.innerText(), /within 24 hours/);
  assert.match(body, /SC-UC · Unaccompanied child/);
  await noMissingMessage(p);
  await axe(p, "the screening outcome");
  await screenshot(p, "protection-outcome", true);
  const outcome = p.url();
  outcomePage = outcome;
  await p.getByRole("button", { name: "Confirm the screening" }).click();
  await p.waitForURL(`${demo.base}/persons/${child.id}`);
  // Confirmed once: the outcome reads as confirmed, with nothing left to confirm.
  await p.goto(outcome);
  assert.match(await p.locator("main").innerText(), /Status: confirmed/);
  assert.equal(await p.getByRole("button", { name: "Confirm the screening" }).count(), 0);
  await axe(p, "a confirmed screening");
  const referrals = await api(p, "GET", `/api/v1/persons/${child.id}/referrals`);
  const cp = referrals.find((r) => r.service === "child_protection");
  assert.ok(cp, "the child-protection referral was made");
  assert.equal(cp.urgency, "urgent");
  await p.context().close();
});

test("a return is not scheduled while an asylum claim is pending, and the case says why", async () => {
  const p = await page();
  await logIn(p, "return_caseworker.aceh");
  // A Rohingya claimant of the demo, with an asylum claim not decided.
  const persons = await api(p, "GET", "/api/v1/persons?limit=500");
  let claimant;
  for (const x of persons.items.filter((x) => x.details.nationalities.includes("stateless"))) {
    const cases = await api(p, "GET", `/api/v1/persons/${x.id}/cases`);
    if (cases.some((c) => c.kind === "asylum" && !c.closed)) {
      claimant = x;
      break;
    }
  }
  assert.ok(claimant, "the demo has a pending asylum claim");
  const opened = await api(p, "POST", `/api/v1/persons/${claimant.id}/cases`, {
    kind: "return",
    voluntary: false,
    reason: "removal order from the immigration office",
  });
  returnCase = opened.id;
  await p.goto(`${demo.base}/cases/${returnCase}`);
  assert.match(await p.locator(".guard").innerText(), /asylum claim is pending/);
  const step = async (name, reason) => {
    const form = p.locator("form.step", { has: p.getByRole("button", { name }) });
    await form.getByLabel(/Reason for this step/).fill(reason);
    await form.getByRole("button", { name }).click();
    await p.waitForLoadState();
  };
  // Only the steps the return table allows from counselling are offered.
  const offered = await p.locator("form.step button").allInnerTexts();
  assert.deepEqual(offered.sort(), [
    "Cancel",
    "Record a return decision",
    "Record informed consent to return",
    "Suspend",
  ]);
  await step("Record a return decision", "order served");
  await step("Record the pre-departure checks", "fit to travel");
  await step("Issue the travel document", "laissez-passer issued");
  assert.match(await p.locator("main").innerText(), /travel document issued/);
  const schedule = p.locator("form.step", { has: p.getByRole("button", { name: "Schedule the return" }) });
  assert.match(await schedule.innerText(), /Held/);
  await step("Schedule the return", "flight on Monday");
  const alert = p.locator(".guard.refused");
  assert.match(await alert.innerText(), /was not scheduled/);
  assert.match(await alert.innerText(), /an asylum claim is pending and has not been finally decided/);
  assert.equal(await schedule.getByLabel(/Reason for this step/).inputValue(), "flight on Monday");
  const after = await api(p, "GET", `/api/v1/cases/${returnCase}`);
  assert.equal(after.state, "travel_document_issued", "the return was not scheduled");
  await noMissingMessage(p);
  await axe(p, "the held return");
  await screenshot(p, "protection-guard", true);
  await p.goto(`${demo.base}/cases`);
  assert.match(await p.locator("main").innerText(), /Returns held by the non-refoulement guard/);
  // The list by kind: the return just opened, held, beside the demo's voluntary returns.
  await p.getByLabel("Kind").selectOption("return");
  await p.getByRole("button", { name: "Show" }).click();
  const listed = p.locator("#h-all + form + table tbody tr");
  assert.ok((await listed.count()) >= 3, "the demo's two returns and this one");
  assert.equal(await listed.filter({ hasText: "held by the non-refoulement guard" }).count() >= 1, true);
  assert.equal(await listed.filter({ hasText: "asylum" }).count(), 0, "only returns");
  await noMissingMessage(p);
  await axe(p, "the cases");
  await p.context().close();
});

test("the referral queue leads to a referral with the steps its status allows", async () => {
  const p = await page();
  await logIn(p, "screening_officer.aceh");
  await p.getByRole("link", { name: "Referrals" }).first().click();
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "Referrals");
  const rows = p.locator("table.referrals tbody tr");
  assert.ok((await rows.count()) > 5, "the demo's referrals are listed");
  await noMissingMessage(p);
  await axe(p, "the referrals");
  await screenshot(p, "protection-referrals");
  await p.getByLabel("Status").selectOption("proposed");
  await p.getByRole("button", { name: "Show" }).click();
  await rows.first().getByRole("rowheader").getByRole("link").click();
  await p.waitForURL(/\/referrals\/[0-9a-f-]+$/);
  const buttons = await p.locator("form.step button").allInnerTexts();
  assert.deepEqual(buttons.sort(), ["Cancel the referral", "Send"], "the referring side's steps");
  // Cancelling needs a reason: the refusal shows on the page and nothing changes.
  await p.getByRole("button", { name: "Cancel the referral" }).click();
  assert.match(await p.getByRole("alert").innerText(), /reason is required/);
  assert.match(await p.locator(".facts").innerText(), /proposed/);
  await noMissingMessage(p);
  await axe(p, "a referral");
  await p.context().close();
});

test("the case page reads right to left in Arabic and the screening in Chinese", async () => {
  const p = await page();
  await logIn(p, "return_caseworker.aceh");
  assert.ok(returnCase, "the return case of the test before");
  await p.goto(`${demo.base}/cases/${returnCase}?lang=ar`);
  assert.equal(await p.locator("html").getAttribute("dir"), "rtl");
  assert.match(await p.locator(".guard").innerText(), /طلب لجوء معلّق/);
  await noMissingMessage(p);
  await axe(p, "the Arabic case");
  await screenshot(p, "protection-case", true);
  // The language picked is kept on the user: give the next tests their English back.
  await p.goto(`${demo.base}/?lang=en`);
  await p.context().close();

  const zh = await page("zh-CN");
  await logIn(zh, "screening_officer.aceh");
  const child = await unscreenedChild(zh);
  await zh.goto(`${demo.base}/persons/${child.id}/screen`);
  assert.equal(await zh.locator("html").getAttribute("lang"), "zh-CN");
  assert.equal(await zh.getByRole("heading", { level: 1 }).innerText(), "保护筛查");
  assert.match(await zh.locator("#q-travelling_with .condition").innerText(), /仅在以下情况下提问/);
  await noMissingMessage(zh);
  await axe(zh, "the Chinese screening");
  // Every protection page has all its words in both languages.
  await zh.goto(`${demo.base}/referrals`);
  const firstReferral = await zh.locator("table.referrals th a").first().getAttribute("href");
  for (const lang of ["zh-CN", "ar"]) {
    for (const path of [outcomePage, `${demo.base}/referrals`, `${demo.base}${firstReferral}`, `${demo.base}/cases`]) {
      await zh.goto(`${path}?lang=${lang}`);
      await noMissingMessage(zh);
    }
  }
  await zh.goto(`${demo.base}/?lang=en`);
  await zh.context().close();

  // A role that does not screen is told so, not shown a form it cannot send.
  const clerk = await page();
  await logIn(clerk, "registration_clerk.aceh");
  const refused = await clerk.goto(`${demo.base}/persons/${child.id}/screen`);
  assert.equal(refused.status(), 403);
  await noMissingMessage(clerk);
  await clerk.context().close();
});

test("a hold resting on a recorded fear is lifted by a supervisor, never by the one who asked", async () => {
  const officer = await page();
  await logIn(officer, "screening_officer.aceh");
  await officer.goto(`${demo.base}/referrals`);
  // An adult of the landing, not screened: they tell the officer they fear going back.
  const persons = await api(officer, "GET", "/api/v1/persons?limit=500");
  let adult;
  for (const x of persons.items.filter(
    (x) => x.relationship === "head" && x.details.date_of_birth?.date < "1990-01-01",
  )) {
    if ((await api(officer, "GET", `/api/v1/persons/${x.id}/screenings`)).length === 0) {
      adult = x;
      break;
    }
  }
  assert.ok(adult, "the demo has an unscreened adult");
  await api(officer, "POST", `/api/v1/persons/${adult.id}/screenings`, {
    questionnaire: "screening",
    questionnaire_version: 2,
    answers: { stated_age: 40, reasons_for_leaving: ["work"], fear_of_return: true, wants_asylum: false },
  });
  await officer.context().close();

  const returns = await page();
  await logIn(returns, "return_caseworker.aceh");
  await returns.goto(`${demo.base}/cases`);
  const opened = await api(returns, "POST", `/api/v1/persons/${adult.id}/cases`, {
    kind: "return",
    voluntary: true,
    reason: "asked to go home",
  });
  await returns.goto(`${demo.base}/cases/${opened.id}`);
  const fear = returns.locator(".conditions li", { hasText: "expressed a fear of return" });
  await fear.getByLabel("Why it should be lifted").fill("the fear was of a debt collector, settled since");
  await fear.getByRole("button", { name: "Ask a supervisor to lift this condition" }).click();
  await returns.waitForLoadState();
  const lifts = returns.locator(".lifts");
  assert.match(await lifts.innerText(), /waiting/);
  assert.equal(await lifts.locator("form").count(), 0, "the one who asked cannot decide");
  await returns.context().close();

  const supervisor = await page();
  await logIn(supervisor, "supervisor.aceh");
  await supervisor.goto(`${demo.base}/cases`);
  assert.match(await supervisor.locator("main").innerText(), /Requests to lift a hold/);
  await supervisor.goto(`${demo.base}/cases/${opened.id}`);
  await supervisor.getByLabel("Approve: lift the condition").check();
  await supervisor.getByLabel("Reason for the decision").fill("checked with the person through an interpreter");
  await supervisor.getByRole("button", { name: "Record the decision" }).click();
  await supervisor.waitForLoadState();
  assert.match(await supervisor.locator(".lifts").innerText(), /approved/);
  assert.match(await supervisor.locator(".guard").innerText(), /Nothing holds this return now/);
  await noMissingMessage(supervisor);
  await axe(supervisor, "a lifted hold");
  await supervisor.context().close();
});
