"""Invoicing driven by the order (issue #13), Qt-free: the buyer's invoice profile, invoice lines and
their tax, the invoice's states, and the plan that groups eligible orders into invoices. The hub, the
CLI and the console all use it; nothing here talks to a platform or a screen."""
