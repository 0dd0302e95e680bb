/* The basket being built on the tablet: category tiles, lines with steppers, weight and value,
 * the total and the household's share. Money is handled in integer cents, never as a float.
 * A category with a price list opens its products: a product's line fills its value by itself
 * (quantity × unit value; the weight too when the unit is the kilo); "Autre" is a free line.
 * A line's weight and value are always the whole line's.
 *
 *   const basket = new EpicerieBasket({text, lang, rate, baCap, products, canFill, householdChosen});
 *   basket.render();  basket.body();  basket.load(lines, "1.20");  basket.clear();
 */
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

const KILO = /^(kg|kilo|kilos|kilogramme|kilogrammes)$/i;

class Basket {
  constructor({text, lang, rate, baCap, products, canFill, householdChosen}) {
    this.text = text;
    this.rate = rate;
    this.baCap = baCap || (() => null);
    this.products = products || {};
    this.canFill = canFill;
    this.householdChosen = householdChosen;
    this.decimalMark = lang.startsWith("fr") ? "," : ".";
    this.money = new Intl.NumberFormat(lang, {style: "currency", currency: "EUR"});
    // {key, category, product, label, unit, unitCents, ba, quantity, weight, value, auto}
    // (weight and value as typed; `auto`: the value still follows quantity × unit value)
    this.lines = [];
    this.paidManual = false;
    this.keepPaidUntilChange = false;  // a correction keeps what was paid until its lines change
    this.picking = null;               // the category whose products are shown
    for (const tile of document.querySelectorAll(".tile")) {
      tile.addEventListener("click", () => this.tapCategory(tile.dataset.category, tile.dataset.label));
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

  lineFor(key) { return this.lines.find((line) => line.key === key); }

  productList(category) { return this.products[category] || []; }

  findProduct(id) {
    for (const list of Object.values(this.products)) {
      const found = list.find((product) => product.id === id);
      if (found) return found;
    }
    return null;
  }

  static cents(line) {
    const cents = parseCents(line.value);
    return Number.isInteger(cents) ? cents : 0;
  }

  totalCents() { return this.lines.reduce((sum, line) => sum + Basket.cents(line), 0); }

  /* The share the centre asks: its rate, and for Banque Alimentaire products at most their cap. */
  shareCents() {
    const rate = this.rate();
    const cap = this.baCap();
    const baRate = cap === null || cap === undefined ? rate : Math.min(rate, cap);
    const ba = this.lines.filter((line) => line.ba).reduce((sum, line) => sum + Basket.cents(line), 0);
    // As the server (rules.participant_share_cents): the others half up, the BA part rounded down,
    // so that the share offered never goes beyond the BA cap the server checks.
    return Math.floor(((this.totalCents() - ba) * rate + 50) / 100) + Math.floor((ba * baRate) / 100);
  }

  /* A category tile tapped: its products to choose from, or (none listed) a free line. */
  tapCategory(category, label) {
    if (this.productList(category).length) {
      this.picking = this.picking === category ? null : category;
      this.renderPicker();
      if (this.picking) $("product-picker").querySelector("button").focus();
      return;
    }
    this.addLine({key: "c:" + category, category: category, product: null, label: label});
  }

  /* One more of a line already there, or a new line (a product's value fills itself). */
  addLine(fields) {
    const line = this.lineFor(fields.key);
    if (line) {
      this.changeQuantity(line, 1);
      return;
    }
    this.lines.push(Object.assign({quantity: 1, weight: "", value: "", auto: Boolean(fields.product)}, fields));
    this.linesChanged();
    $("basket-error").textContent = "";
    this.fillAuto(this.lines[this.lines.length - 1]);
    this.render();
  }

  tapProduct(product, category) {
    this.addLine({key: "p:" + product.id, category: category, product: product.id, label: product.name,
                  unit: product.unit, unitCents: product.unit_cents, ba: product.banque_alimentaire});
  }

  /* A product line's value (and, by the kilo, its weight) = quantity × unit, until typed over. */
  fillAuto(line) {
    if (!line.product) return;
    if (line.auto) line.value = this.forInput(decimalString(Math.min(line.quantity * line.unitCents, 999999)));
    if (line.weightAuto !== false && KILO.test(line.unit || "")) {
      line.weight = String(line.quantity);
      line.weightAuto = true;
    }
  }

  linesChanged() {
    if (this.keepPaidUntilChange) {
      this.keepPaidUntilChange = false;
      this.paidManual = false;
    }
  }

  changeQuantity(line, step) {
    line.quantity = Math.min(999, Math.max(1, line.quantity + step));
    this.linesChanged();
    this.fillAuto(line);
    const row = $("basket-lines").querySelector('.line[data-key="' + line.key + '"]');
    row.querySelector(".line-qty").textContent = line.quantity;
    row.querySelector(".line-minus").disabled = line.quantity <= 1;
    row.querySelector(".line-plus").disabled = line.quantity >= 999;
    this.renderUnit(row, line);
    if (line.product) {
      row.querySelector(".line-value").value = line.value;
      row.querySelector(".line-weight").value = line.weight;
    }
    this.renderTiles();
    this.renderTotals();
  }

  /* A basket of the day, to correct: its lines as the API gave them, and what was paid. The
   * share paid stays as it was until a line changes; then it follows the centre's rate again. */
  load(lines, paidEur) {
    this.lines = lines.map((line) => {
      const product = line.product ? this.findProduct(line.product) : null;
      return {
        key: line.product ? "p:" + line.product : "c:" + line.category + ":" + Math.random(),
        category: line.category, product: line.product || null, label: line.label, quantity: line.quantity,
        unit: product ? product.unit : null, unitCents: product ? product.unit_cents : null,
        ba: Boolean(product && product.banque_alimentaire), auto: false, weightAuto: false,
        weight: line.weight_kg ? this.forInput(String(line.weight_kg)) : "",
        value: this.forInput(line.value_eur),
      };
    });
    this.paidManual = true;
    this.keepPaidUntilChange = true;
    $("basket-paid").value = this.forInput(paidEur);
    this.render();
  }

  clear() {
    this.lines = [];
    this.paidManual = false;
    this.keepPaidUntilChange = false;
    this.picking = null;
    $("basket-error").textContent = "";
    this.render();
  }

  render() {
    this.renderLines();
    this.refresh();
  }

  /* What depends on the household (tiles, products, the share), without re-making the lines:
   * a field being typed in keeps its focus and its text when the household's answer comes. */
  refresh() {
    this.renderTiles();
    this.renderPicker();
    this.renderTotals();
  }

  renderPicker() {
    const picker = $("product-picker");
    const category = this.picking;
    if (!category || !this.canFill()) {
      picker.hidden = true;
      return;
    }
    const tile = document.querySelector('.tile[data-category="' + category + '"]');
    const label = tile ? tile.dataset.label : category;
    $("product-picker-title").textContent = fill(this.text.productsOf, {label: label});
    const buttons = this.productList(category).map((product) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button product-tap";
      button.dataset.product = product.id;
      const name = document.createElement("span");
      name.className = "product-name";
      name.textContent = product.name;
      const price = document.createElement("span");
      price.className = "product-price";
      price.textContent = this.euros(product.unit_cents) + " / " + product.unit;
      button.append(name, price);
      if (product.banque_alimentaire) {
        const badge = document.createElement("span");
        badge.className = "badge product-ba";
        badge.textContent = this.text.banqueAlimentaire;
        button.append(badge);
      }
      button.addEventListener("click", () => this.tapProduct(product, category));
      return button;
    });
    const free = document.createElement("button");
    free.type = "button";
    free.className = "button product-tap product-free";
    free.textContent = this.text.freeLine;
    free.addEventListener("click", () => this.addLine({key: "c:" + category, category: category, product: null,
                                                       label: label}));
    $("product-buttons").replaceChildren(...buttons, free);
    picker.hidden = false;
  }

  renderTotals() {
    const total = this.totalCents();
    $("basket-total").textContent = this.euros(total);
    $("basket-rate").textContent = this.rate();
    if (!this.paidManual) $("basket-paid").value = this.forInput(decimalString(this.shareCents()));
    $("basket-recompute").hidden = !this.paidManual;
    if (this.onTotals) this.onTotals(total);
  }

  renderTiles() {
    const enabled = this.canFill();
    for (const tile of document.querySelectorAll(".tile")) {
      const count = this.lines.filter((line) => line.category === tile.dataset.category)
        .reduce((sum, line) => sum + line.quantity, 0);
      tile.disabled = !enabled;
      tile.classList.toggle("is-chosen", count > 0);
      tile.setAttribute("aria-expanded", String(this.picking === tile.dataset.category));
      tile.querySelector(".tile-count").textContent = count ? "× " + count : "";
      tile.setAttribute("aria-label", count ? fill(this.text.lineName, {label: tile.dataset.label, n: count})
                                            : tile.dataset.label);
    }
    $("basket-hint").textContent = enabled ? (this.lines.length ? "" : this.text.emptyBasket)
      : (this.householdChosen() ? this.text.noAccessHint : this.text.chooseFirst);
    $("basket-confirm").disabled = !enabled || this.lines.length === 0;
  }

  renderLines() {
    $("basket-lines").replaceChildren(...this.lines.map((line) => this.lineRow(line)));
    $("basket-lines-note").hidden = this.lines.length === 0;
  }

  renderUnit(row, line) {
    const note = row.querySelector(".line-unit");
    note.hidden = !line.product || line.unitCents === null || line.unitCents === undefined;
    if (!note.hidden) {
      note.textContent = fill(this.text.lineUnit, {n: line.quantity, price: this.euros(line.unitCents),
                                                   unit: line.unit});
    }
  }

  lineRow(line) {
    const item = $("tpl-line").content.firstElementChild.cloneNode(true);
    item.dataset.category = line.category;
    item.dataset.key = line.key;
    if (line.product) item.dataset.product = line.product;
    item.querySelector(".line-name").textContent = line.label;
    this.renderUnit(item, line);
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
      line.weightAuto = false;
      if (!this.weightProblem(line.weight)) this.markField(weight, "");
    });
    value.addEventListener("input", () => {
      line.value = value.value;
      line.auto = false;
      this.linesChanged();
      if (!this.valueProblem(line.value)) this.markField(value, "");
      this.renderTotals();
    });
    item.querySelector(".line-minus").addEventListener("click", () => this.changeQuantity(line, -1));
    item.querySelector(".line-plus").addEventListener("click", () => this.changeQuantity(line, 1));
    item.querySelector(".line-remove").addEventListener("click", () => {
      this.lines = this.lines.filter((other) => other !== line);
      this.linesChanged();
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
      const sent = {category: line.category, quantity: line.quantity, weight_kg: parseKilos(line.weight),
                    value_eur: Number.isInteger(value) ? decimalString(value) : ""};
      if (line.product) sent.product = line.product;
      return sent;
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
Basket.decimalString = decimalString;
Basket.fill = fill;
export { Basket as EpicerieBasket };
