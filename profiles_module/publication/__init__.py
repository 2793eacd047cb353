"""Publishing and keeping a fiche current: the publication form, the links sent by email,
the owner's pages, the lifecycle (reminders, hiding, erasure) and the outbox."""
