"""Alerts for the operators' group chat, Qt-free: a DingTalk custom robot that folds repeated alerts,
sends one signed digest per flush within the robot's rate limit, and keeps whatever it could not send
(``alerts.dingtalk``); a local stand-in robot speaking the same protocol for tests and the demo
(``alerts.local_robot``)."""

from orderdesk.alerts.dingtalk import Alert, DingTalkRobot, FlushResult, sign, signed_url

__all__ = ["Alert", "DingTalkRobot", "FlushResult", "sign", "signed_url"]
