"""What the tablet page hands to its script: addresses, the rate, and its words in the person's language."""

from flask import url_for
from flask_babel import gettext as _

from kiosk.epicerie.categories import active_categories
from kiosk.epicerie.duty import on_duty
from kiosk.epicerie.products import price_list
from kiosk.epicerie.rules import current_rules
from kiosk.models import Role


def tablet_messages() -> dict[str, str]:
    """Every sentence the script shows; `{name}`-style holes are filled in by the script."""
    return {
        "searching": _("Recherche…"),
        "noResult": _("Aucun foyer trouvé. Vérifiez l'orthographe ou passez la carte."),
        "accessOpen": _("accès ouvert"),
        "accessClosed": _("pas d'accès"),
        "accessUntil": _("Accès jusqu'au {day}"),
        "accessNone": _("Pas d'accès ouvert"),
        "household1": _("1 personne au foyer"),
        "householdN": _("{n} personnes au foyer"),
        "month": _("Ce mois-ci : {taken} sur {allowance} (reste {remaining})"),
        "lastVisit": _("Dernier passage : {day}"),
        "firstVisit": _("Premier passage à l'épicerie"),
        "offlineCard": _("Carte lue sans réseau : le foyer sera vérifié quand le réseau reviendra."),
        "offlineSearch": _("Pas de réseau : la recherche ne marche pas. Passez la carte du foyer."),
        "scanUnknown": _("Carte non reconnue."),
        "chooseFirst": _("Choisissez d'abord un foyer."),
        "noAccessHint": _("Pas de panier sans accès ouvert : voir la coordination."),
        "emptyBasket": _("Touchez une catégorie pour l'ajouter au panier."),
        "valueMissing": _("Indiquez la valeur de chaque ligne."),
        "valueInvalid": _("Valeur en euros, par exemple 4,50."),
        "valueTooBig": _("Valeur trop élevée : 9 999,99 € au plus."),
        "weightInvalid": _("Poids en kilos, par exemple 1,5."),
        "weightTooBig": _("Poids trop élevé : 999 kg au plus."),
        "paidInvalid": _("Participation en euros, par exemple 1,20."),
        "paidTooBig": _("Participation trop élevée : 9 999,99 € au plus."),
        "fixFields": _("Corrigez les champs signalés en rouge."),
        "paidTooMuch": _("La participation ne peut pas dépasser la valeur du panier."),
        "sending": _("Envoi du panier…"),
        "saved": _("Panier de {name} enregistré."),
        "savedPlain": _("Panier enregistré."),
        "kept": _("Pas de réseau : le panier est gardé sur la tablette et partira tout seul."),
        "refused": _("Panier refusé : {message}"),
        "laterRefused": _("Un panier gardé sur la tablette a été refusé : {message}"),
        "undone": _("Panier annulé."),
        "undoFailed": _("Impossible d'annuler maintenant. Réessayez depuis « Paniers du jour »."),
        "corrected": _("Correction enregistrée."),
        "editing": _("Correction du panier de {name} ({time})"),
        "waiting1": _("1 panier en attente d'envoi"),
        "waitingN": _("{n} paniers en attente d'envoi"),
        "signedOut": _("La connexion a expiré : reconnectez-vous, les paniers gardés partiront ensuite."),
        "networkDown": _("Le serveur ne répond pas. Réessayez dans un instant."),
        "cancelled": _("annulé"),
        "paidLabel": _("payé {amount}"),
        "servedBy": _("servi par {name}"),
        "noBasketToday": _("Aucun panier aujourd'hui pour l'instant."),
        "lineName": _("{label} : {n}"),
        "lineUnit": _("{n} × {price} le {unit}"),
        "freeLine": _("Autre (valeur à taper)"),
        "productsOf": _("Produits : {label}"),
        "banqueAlimentaire": _("Banque Alimentaire"),
        "overrideAsk": _("Vous êtes la coordination : vous pouvez passer outre en donnant une raison."),
        "overrideMissing": _("Donnez la raison (elle est gardée au journal)."),
        "overrideNotYou": _("Seule la coordination peut passer outre : appelez-la, ou retirez des produits."),
        "beyondAllowance": _("Attention : ce panier ({value}) dépasse ce qui reste ce mois-ci ({remaining})."),
    }


def tablet_context() -> dict:
    """The template's variables: categories, who serves, and the script's configuration."""
    rules = current_rules()
    server = on_duty()
    return {
        "categories": active_categories(),
        "server": server,
        "rules": rules,
        "config": {
            "contributionPercent": rules.contribution_percent,
            "banqueAlimentairePercent": rules.banque_alimentaire_percent,
            "serverId": server.id if server else None,
            "canOverride": server is not None and server.role == Role.COORDINATOR,
            "products": price_list(),
            "urls": {
                "households": url_for("epicerie.api.search_households"),
                "lookup": url_for("epicerie.api.lookup_household"),
                "baskets": url_for("epicerie.api.create_basket"),
            },
            "messages": tablet_messages(),
        },
    }
