"""Notification senders (通知通道): how an outbox message leaves the system.

The sender is chosen by the setting `BASTION_NOTIFY_SENDER` (a dotted path; the log sender by
default). An SMS gateway plugs in later by implementing `SmsGateway` and wrapping it in
`SmsSender`; nothing else changes. Senders never write a phone number to a log.
"""

import logging
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("bastion.notify")

DEFAULT_SENDER = "bastion.observation.notify.LogSender"


class Sender(Protocol):
    name: str

    def send(self, *, recipient: Any, text: str) -> None:
        """Deliver `text` to `recipient` (a User) or raise."""


class ConsoleSender:
    """Prints each message: the embedded demo shows it in the terminal."""

    name = "console"

    def send(self, *, recipient: Any, text: str) -> None:
        print(f"[通知 → {recipient}] {text}")


class LogSender:
    """Writes each message to the application log, naming the recipient by account id only."""

    name = "log"

    def send(self, *, recipient: Any, text: str) -> None:
        logger.info("notification to user %s: %s", recipient.pk, text)


class SmsGateway(Protocol):
    """What an SMS provider's adapter must offer."""

    def send_sms(self, *, mobile: str, text: str) -> None: ...


class SmsSender:
    """Sends through an SMS gateway to the recipient's mobile."""

    name = "sms"

    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway

    def send(self, *, recipient: Any, text: str) -> None:
        if not recipient.mobile:
            raise ValueError("收件人没有登记手机号")
        self.gateway.send_sms(mobile=recipient.mobile, text=text)


def get_sender() -> Sender:
    path = getattr(settings, "BASTION_NOTIFY_SENDER", DEFAULT_SENDER)
    sender: Sender = import_string(path)()
    return sender
