// The registration desk's small helpers (the pages work without them):
// - as the head's or member's names and date of birth are typed, ask the API who is
//   already registered that looks alike, and show the candidates with their reasons in
//   the polite live region; the server still checks on saving.
// - the household token's print button.
"use strict";

(function () {
  const live = document.getElementById("dup-live");
  const form = live && live.closest("form");
  const csrf = document.querySelector('meta[name="csrf-token"]');
  if (live && form && csrf) {
    let timer;
    let last = "";
    const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
    const dateOfBirth = () => {
      const dob = value("dob");
      if (/^\d{4}-\d{2}-\d{2}$/.test(dob)) return { date: dob, precision: "exact" };
      if (/^\d{4}$/.test(dob)) return { date: `${dob}-01-01`, precision: "year_only" };
      return null;
    };
    const show = (candidates) => {
      live.replaceChildren();
      if (candidates.length === 0) return;
      const title = document.createElement("p");
      title.textContent = live.dataset.title;
      live.append(title);
      const list = document.createElement("ul");
      for (const c of candidates) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `/persons/${c.person_id}`;
        link.textContent = c.registration_number;
        const name = [c.given_name, c.family_name].filter(Boolean).join(" ");
        const percent = Math.round(c.probability * 100);
        item.append(link, ` · ${name} · ${live.dataset.probability} ${percent}%`);
        const why = document.createElement("ul");
        for (const f of c.fields) {
          const li = document.createElement("li");
          li.textContent = `${f.field}: ${f.level} (${f.weight >= 0 ? "+" : ""}${f.weight.toFixed(1)}) ${f.explanation}`;
          why.append(li);
        }
        item.append(why);
        list.append(item);
      }
      live.append(list);
    };
    const check = async () => {
      const person = {
        given_name: value("given_name") || null,
        family_name: value("family_name") || null,
        sex: value("sex") || "U",
        date_of_birth: dateOfBirth(),
      };
      if (!person.given_name && !person.family_name) return show([]);
      const key = JSON.stringify(person);
      if (key === last) return;
      last = key;
      try {
        const answer = await fetch("/api/v1/duplicates/check", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf.content },
          body: JSON.stringify({ person }),
        });
        if (answer.ok) show((await answer.json()).candidates);
      } catch {
        // Offline or refused: the server checks again on saving.
      }
    };
    form.addEventListener("input", (e) => {
      if (!e.target.dataset || !e.target.dataset.check) return;
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
  }
  const print = document.getElementById("print-token");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", () => window.print());
  }
})();
