"""Publishing hears of publication, correction and retraction only after the commit."""

from django.db import transaction

from didban.newsroom import actions, signals


def test_signals_sent_after_commit(make_item, personas, django_capture_on_commit_callbacks):
    heard = []

    def listener(signal_name):
        def receive(sender, item_id, **kwargs):
            heard.append((signal_name, item_id))

        return receive

    receivers = {name: listener(name) for name in ("published", "corrected", "retracted")}
    signals.item_published.connect(receivers["published"])
    signals.item_corrected.connect(receivers["corrected"])
    signals.item_retracted.connect(receivers["retracted"])
    try:
        item = make_item()
        actions.do_submit_item(actor=personas.county_producer, item=item)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            actions.do_publish_item(actor=personas.county_editor, item=item)
        assert heard == []
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            actions.do_correct_item(
                actor=personas.county_editor, item=item, note="اصلاح", lead="لید"
            )
            actions.do_retract_item(actor=personas.county_editor, item=item, reason="دلیل")
        assert heard == [("published", item.pk), ("corrected", item.pk), ("retracted", item.pk)]
        assert transaction.get_autocommit() is False or True
    finally:
        signals.item_published.disconnect(receivers["published"])
        signals.item_corrected.disconnect(receivers["corrected"])
        signals.item_retracted.disconnect(receivers["retracted"])
