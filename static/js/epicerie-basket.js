/* The basket being built on the tablet: category tiles, lines with steppers, weight and value,
 * the total and the household's share. Money is handled in integer cents, never as a float.
 *
 *   const basket = new EpicerieBasket({text, lang, rate: () => 10, canFill: () => true, householdChosen});
 *   basket.render();  basket.body();  basket.load(lines, "1.20");  basket.clear();
 */
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  }

  function decimalString(cents) {
    return Math.floor(cents / 100) + "." + String(cents % 100).padStart(2, "0");
  }

  /* "12", "12,5", "1 234,50 €" -> cents; "" -> null; beyond 9 999,99 -> Infinity; anything else -> NaN. */
  function parseCents(raw) {
    const cleaned = String(raw || "").replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    if (!cleaned) return null;
    const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
    if (!match) return NaN;
    if (match[1].replace(/^0+/, "").length > 4) return Infinity;
    return parseInt(match[1], 10) * 100 + parseInt((match[2] || "0").padEnd(2, "0"), 10);
  }

  /* "1,5" -> 1.5 kilos; "" -> 0; beyond 999 -> Infinity; anything else -> NaN. */
  function parseKilos(raw) {
    const cleaned = String(raw || "").replace(/[\s\u00a0\u202f]|kg/gi, "").replace(",", ".");
    if (!cleaned) return 0;
    if (!/^\d+(?:\.\d{1,3})?$/.test(cleaned)) return NaN;
    const kilos = Number(cleaned);
    return kilos > 999 ? Infinity : kilos;
  }

  class Basket {
    constructor({text, lang, rate, canFill, householdChosen}) {
      this.text = text;
      this.rate = rate;
      this.canFill = canFill;
      this.householdChosen = householdChosen;
      this.decimalMark = lang.startsWith("fr") ? "," : ".";
      this.money = new Intl.NumberFormat(lang, {style: "currency", currency: "EUR"});
      this.lines = [];        // {category, label, quantity, weight, value} (weight and value as typed)
      this.paidManual = false;
      for (const tile of document.querySelectorAll(".tile")) {
        tile.addEventListener("click", () => this.tap(tile.dataset.category, tile.dataset.label));
      }
      $("basket-paid").addEventListener("input", () => {
        this.paidManual = true;
        if (!this.paidProblem($("basket-paid").value)) this.markField($("basket-paid"), "");
        $("basket-recompute").hidden = false;
      });
      $("basket-recompute").addEventListener("click", () => {
        this.paidManual = false;
        this.renderTotals();
      });
    }

    euros(cents) { return this.money.format(cents / 100); }

    forInput(decimal) { return decimal.replace(".", this.decimalMark); }

    lineFor(category) { return this.lines.find((line) => line.category === category); }

    totalCents() {
      return this.lines.reduce((sum, line) => {
        const cents = parseCents(line.value);
        return sum + (Number.isInteger(cents) ? cents : 0);
      }, 0);
    }

    /* A tile tapped: one more of it, or a new line. */
    tap(category, label) {
      const line = this.lineFor(category);
      if (line) {
        this.changeQuantity(line, 1);
        return;
      }
      this.lines.push({category: category, label: label, quantity: 1, weight: "", value: ""});
      $("basket-error").textContent = "";
      this.render();
    }

    changeQuantity(line, step) {
      line.quantity = Math.min(999, Math.max(1, line.quantity + step));
      const row = $("basket-lines").querySelector('.line[data-category="' + line.category + '"]');
      row.querySelector(".line-qty").textContent = line.quantity;
      row.querySelector(".line-minus").disabled = line.quantity <= 1;
      row.querySelector(".line-plus").disabled = line.quantity >= 999;
      this.renderTiles();
    }

    /* A basket of the day, to correct: its lines as the API gave them, and what was paid. */
    load(lines, paidEur) {
      this.lines = lines.map((line) => ({
        category: line.category, label: line.label, quantity: line.quantity,
        weight: line.weight_kg ? this.forInput(String(line.weight_kg)) : "",
        value: this.forInput(line.value_eur),
      }));
      this.paidManual = true;
      $("basket-paid").value = this.forInput(paidEur);
      this.render();
    }

    clear() {
      this.lines = [];
      this.paidManual = false;
      $("basket-error").textContent = "";
      this.render();
    }

    render() {
      this.renderLines();
      this.renderTiles();
      this.renderTotals();
    }

    renderTotals() {
      const total = this.totalCents();
      $("basket-total").textContent = this.euros(total);
      $("basket-rate").textContent = this.rate();
      if (!this.paidManual) {
        $("basket-paid").value = this.forInput(decimalString(Math.floor((total * this.rate() + 50) / 100)));
      }
      $("basket-recompute").hidden = !this.paidManual;
    }

    renderTiles() {
      const enabled = this.canFill();
      for (const tile of document.querySelectorAll(".tile")) {
        const line = this.lineFor(tile.dataset.category);
        tile.disabled = !enabled;
        tile.classList.toggle("is-chosen", Boolean(line));
        tile.querySelector(".tile-count").textContent = line ? "× " + line.quantity : "";
        tile.setAttribute("aria-label", line ? fill(this.text.lineName, {label: tile.dataset.label, n: line.quantity})
                                             : tile.dataset.label);
      }
      $("basket-hint").textContent = enabled ? (this.lines.length ? "" : this.text.emptyBasket)
        : (this.householdChosen() ? this.text.noAccessHint : this.text.chooseFirst);
      $("basket-confirm").disabled = !enabled || this.lines.length === 0;
    }

    renderLines() {
      $("basket-lines").replaceChildren(...this.lines.map((line) => this.lineRow(line)));
    }

    lineRow(line) {
      const item = $("tpl-line").content.firstElementChild.cloneNode(true);
      item.dataset.category = line.category;
      item.querySelector(".line-name").textContent = line.label;
      item.querySelector(".line-qty").textContent = line.quantity;
      item.querySelector(".line-minus").disabled = line.quantity <= 1;
      item.querySelector(".line-plus").disabled = line.quantity >= 999;
      const weight = item.querySelector(".line-weight");
      const value = item.querySelector(".line-value");
      weight.value = line.weight;
      value.value = line.value;
      weight.setAttribute("aria-label", weight.closest("label").textContent.trim() + " – " + line.label);
      value.setAttribute("aria-label", value.closest("label").textContent.trim() + " – " + line.label);
      weight.addEventListener("input", () => {
        line.weight = weight.value;
        if (!this.weightProblem(line.weight)) this.markField(weight, "");
      });
      value.addEventListener("input", () => {
        line.value = value.value;
        if (!this.valueProblem(line.value)) this.markField(value, "");
        this.renderTotals();
      });
      item.querySelector(".line-minus").addEventListener("click", () => this.changeQuantity(line, -1));
      item.querySelector(".line-plus").addEventListener("click", () => this.changeQuantity(line, 1));
      item.querySelector(".line-remove").addEventListener("click", () => {
        this.lines = this.lines.filter((other) => other !== line);
        this.render();
      });
      return item;
    }

    /* What is wrong with a typed value, weight or share ("" when nothing). */
    valueProblem(raw) {
      const cents = parseCents(raw);
      if (cents === null) return this.text.valueMissing;
      if (cents === Infinity) return this.text.valueTooBig;
      return Number.isInteger(cents) ? "" : this.text.valueInvalid;
    }

    weightProblem(raw) {
      const kilos = parseKilos(raw);
      if (kilos === Infinity) return this.text.weightTooBig;
      return Number.isNaN(kilos) ? this.text.weightInvalid : "";
    }

    paidProblem(raw) {
      const cents = parseCents(raw) ?? 0;
      if (cents === Infinity) return this.text.paidTooBig;
      if (!Number.isInteger(cents)) return this.text.paidInvalid;
      return cents > this.totalCents() ? this.text.paidTooMuch : "";
    }

    /* Show (or clear, with "") a field's own message next to it. */
    markField(field, message) {
      const note = field.id === "basket-paid" ? $("basket-paid-error")
        : field.closest(".line-field").querySelector(".field-error");
      note.textContent = message;
      if (message) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
      if (!document.querySelector('#basket-lines [aria-invalid="true"], #basket-paid[aria-invalid="true"]')) {
        $("basket-error").textContent = "";
      }
    }

    /* The request's lines and share, or null after showing every problem next to its field. */
    body() {
      const rows = $("basket-lines").querySelectorAll(".line");
      const paidField = $("basket-paid");
      const wrong = [];
      const check = (field, message) => {
        this.markField(field, message);
        if (message) wrong.push([field, message]);
      };
      const lines = this.lines.map((line, index) => {
        check(rows[index].querySelector(".line-weight"), this.weightProblem(line.weight));
        check(rows[index].querySelector(".line-value"), this.valueProblem(line.value));
        const value = parseCents(line.value);
        return {category: line.category, quantity: line.quantity, weight_kg: parseKilos(line.weight),
                value_eur: Number.isInteger(value) ? decimalString(value) : ""};
      });
      check(paidField, this.paidProblem(paidField.value));
      if (wrong.length) {
        // One problem: its words (also next to its field); several: where to look.
        $("basket-error").textContent = wrong.length === 1 ? wrong[0][1] : this.text.fixFields;
        wrong[0][0].focus();
        return null;
      }
      $("basket-error").textContent = "";
      return {lines: lines, paid_eur: decimalString(parseCents(paidField.value) ?? 0)};
    }
  }

  Basket.parseCents = parseCents;
  Basket.fill = fill;
  window.EpicerieBasket = Basket;
})();
