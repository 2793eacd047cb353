# Written by hand: the contact relay's block list and abuse reports, the "blocked"
# status and the link to the sender's copy in the outbox (erased with the body).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import profiles_module.common.validators


class Migration(migrations.Migration):
    dependencies = [
        ("profiles_module", "0008_contact_territory"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contactmessage",
            name="copy_email",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="contact_copies",
                to="profiles_module.outgoingemail",
            ),
        ),
        migrations.AlterField(
            model_name="contactmessage",
            name="status",
            field=models.CharField(
                choices=[
                    ("awaiting_verification", "waiting for the sender to confirm"),
                    ("pending", "waiting to be sent"),
                    ("sent", "sent"),
                    ("failed", "abandoned"),
                    ("blocked", "blocked by the recipient"),
                ],
                default="pending",
                max_length=25,
                verbose_name="status",
            ),
        ),
        migrations.CreateModel(
            name="AbuseReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        db_index=True,
                        default=django.utils.timezone.now,
                        verbose_name="reported on",
                    ),
                ),
                (
                    "comment",
                    models.TextField(
                        blank=True,
                        max_length=2000,
                        validators=[profiles_module.common.validators.validate_plain_text],
                        verbose_name="comment",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("new", "to handle"), ("handled", "handled")],
                        default="new",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "message",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="abuse_reports",
                        to="profiles_module.contactmessage",
                        verbose_name="message",
                    ),
                ),
            ],
            options={
                "verbose_name": "abuse report",
                "verbose_name_plural": "abuse reports",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="BlockedSender",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "block_id",
                    models.CharField(blank=True, max_length=36, verbose_name="block id"),
                ),
                ("address_hash", models.CharField(max_length=64, verbose_name="address hash")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="blocked on"
                    ),
                ),
                (
                    "page",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.WAGTAIL_PAGE_MODEL,
                        verbose_name="page",
                    ),
                ),
                (
                    "profile",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="blocked_senders",
                        to="profiles_module.profile",
                        verbose_name="recipient",
                    ),
                ),
            ],
            options={
                "verbose_name": "blocked sender",
                "verbose_name_plural": "blocked senders",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("page__isnull", True), ("profile__isnull", False)),
                            models.Q(("page__isnull", False), ("profile__isnull", True)),
                            _connector="OR",
                        ),
                        name="fv_blocked_sender_one_recipient",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("profile__isnull", False)),
                        fields=("profile", "address_hash"),
                        name="fv_blocked_sender_profile_unique",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("page__isnull", False)),
                        fields=("page", "block_id", "address_hash"),
                        name="fv_blocked_sender_block_unique",
                    ),
                ],
            },
        ),
    ]
