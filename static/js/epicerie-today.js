/* Today's baskets on the tablet: the list, "Corriger", and "Annuler" with a second tap to be sure.
 * Shows the first name and initial only, as the API gives them.
 */
import { EpicerieBasket } from "./epicerie-basket.js";

const $ = (id) => document.getElementById(id);

class Today {
  constructor({url, text, api, euros, errorText, onCorrect, onMessage}) {
    Object.assign(this, {url, text, api, euros, errorText, onCorrect, onMessage});
  }

  amount(decimal) { return this.euros(EpicerieBasket.parseCents(decimal)); }

  async refresh() {
    let answer;
    try {
      answer = await this.api("GET", this.url);
    } catch (error) {
      return;  // keep showing the last list known
    }
    if (!answer.ok) return;
    $("today-list").replaceChildren(...answer.data.map((item) => this.row(item)));
    $("today-empty").textContent = this.text.noBasketToday;
    $("today-empty").hidden = answer.data.length > 0;
  }

  row(item) {
    const fill = EpicerieBasket.fill;
    const row = $("tpl-today").content.firstElementChild.cloneNode(true);
    row.dataset.basketId = item.id;
    row.querySelector(".today-time").textContent = item.time;
    row.querySelector(".today-who").textContent = item.household;
    row.querySelector(".today-amounts").textContent =
      this.amount(item.value_eur) + " · " + fill(this.text.paidLabel, {amount: this.amount(item.paid_eur)});
    row.querySelector(".today-by").textContent = item.served_by ? fill(this.text.servedBy, {name: item.served_by}) : "";
    if (item.cancelled) {
      row.classList.add("is-cancelled");
      const mark = document.createElement("span");
      mark.className = "badge badge-danger";
      mark.textContent = this.text.cancelled;
      row.querySelector(".today-actions").replaceChildren(mark);
      return row;
    }
    const confirmBox = row.querySelector(".today-confirm");
    const cancelButton = row.querySelector(".today-cancel");
    row.querySelector(".today-correct").addEventListener("click", () => this.onCorrect(item));
    cancelButton.addEventListener("click", () => {
      cancelButton.hidden = true;
      confirmBox.hidden = false;
      row.querySelector(".today-cancel-no").focus();
    });
    row.querySelector(".today-cancel-no").addEventListener("click", () => {
      confirmBox.hidden = true;
      cancelButton.hidden = false;
      cancelButton.focus();
    });
    row.querySelector(".today-cancel-yes").addEventListener("click", () => this.cancel(item));
    return row;
  }

  async cancel(item) {
    try {
      const answer = await this.api("POST", this.url + "/" + item.id + "/cancel");
      this.onMessage(answer.ok ? this.text.undone
        : EpicerieBasket.fill(this.text.refused, {message: this.errorText(answer.data)}));
    } catch (error) {
      this.onMessage(this.text.networkDown);
    }
    this.refresh();
  }
}

export { Today as EpicerieToday };
