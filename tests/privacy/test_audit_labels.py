"""The audit trail reads in words: every action and record kind the code records has a label."""

import ast
from datetime import timedelta
from pathlib import Path

from kiosk.audit import AuditAction
from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, Role
from kiosk.platform.timezone import local_day
from kiosk.privacy.labels import AUDIT_ACTIONS, AUDIT_ENTITIES

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
# (module, function) -> position of the entity argument, or the entity it always records
AUDITING = {
    ("kiosk.audit", "record_audit"): 1,
    ("kiosk.audit", "record_reading"): 1,
}
FORWARDERS = {"kiosk/audit.py"}  # pass their own `action` argument on


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(KIOSK.parent).with_suffix("").parts)


def recorded() -> tuple[set[str], set[str], list[str]]:
    """Every action and entity written literally in a call to the audit functions, and any call that is not."""
    actions, entities, unreadable = set(), set(), []
    for path in KIOSK.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        own = module_name(path)
        names = {name: (own, name) for (module, name) in AUDITING if module == own}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    names[alias.asname or alias.name] = (node.module, alias.name)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            origin = names.get(func)
            if origin not in AUDITING:
                continue
            where = f"{path.relative_to(KIOSK.parent)}:{node.lineno}"
            args = node.args
            if args and isinstance(args[0], ast.Name) and args[0].id == "action" and where.split(":")[0] in FORWARDERS:
                continue
            first = args[0] if args else None
            if isinstance(first, ast.Attribute) and isinstance(first.value, ast.Name) and first.value.id == "AuditAction":
                actions.add(AuditAction[first.attr].value)
            elif isinstance(first, ast.Constant):
                actions.add(first.value)
            else:
                unreadable.append(where)
                continue
            entity = AUDITING[origin]
            if isinstance(entity, str):
                entities.add(entity)
            elif len(args) > entity and isinstance(args[entity], ast.Constant):
                entities.add(args[entity].value)
            else:
                unreadable.append(where)
    return actions, entities, unreadable


def test_every_recorded_action_has_a_label():
    """Does every action string passed to record_audit / record_reading anywhere in kiosk/ have French words?"""
    actions, _entities, unreadable = recorded()
    assert not unreadable, f"audit calls whose action or entity is not written out: {unreadable}"
    assert {"view", "export", "exit", "return", "card_print", "import", "revoke"} <= actions  # the collector works
    assert sorted(actions - set(AUDIT_ACTIONS)) == []
    assert sorted(set(AuditAction) - set(AUDIT_ACTIONS)) == []


def test_every_recorded_entity_has_a_label():
    """Does every kind of record the audit names (participant, basket, category...) have French words?"""
    _actions, entities, _unreadable = recorded()
    assert {"participant", "basket", "follow_up_call", "followup_list"} <= entities
    assert sorted(entities - set(AUDIT_ENTITIES)) == []


def test_callback_list_and_its_pdf_are_audited(client, auth):
    """Are the call-back list on screen, printed and as PDF (names and phones) recorded in the audit trail, in words?"""
    user = auth.login(Role.COORDINATOR)
    assert client.get("/dashboard/rappels").status_code == 200
    assert client.get("/dashboard/rappels/imprimer").status_code == 200
    assert client.get("/dashboard/rappels.pdf").status_code == 200
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "followup_list").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.user_id) for e in events] == [("view", user.id), ("view", user.id), ("export", user.id)]
    assert events[0].details.get("screen") is True
    journal = client.get("/confidentialite/journal").get_data(as_text=True)
    assert "liste des personnes à rappeler" in journal and "followup_list" not in journal


def test_journal_shows_words_not_codes(client, auth, make_participant):
    """After an exit, a return and a card print, does the journal show words rather than the stored codes?"""
    participant, _code = make_participant()
    auth.login(Role.COORDINATOR)
    client.post(f"/participants/{participant.id}/card/print")
    client.post(f"/participants/{participant.id}/epicerie", data={"until": (local_day() + timedelta(days=60)).isoformat()})
    journal = client.get("/confidentialite/journal").get_data(as_text=True)
    for code in ("card_print", "epicerie_access"):
        assert code not in journal
    assert "a imprimé des cartes" in journal and "a ouvert l&#39;accès à l&#39;épicerie" in journal
