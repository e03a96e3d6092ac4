"""18.0.1.9.0: a reminder e-mail is a message to its member (``user_notification``).

Before, its copy in ``mail.message`` was an ordinary message of the reminder, which
every care user may read: one that failed to send is kept, and names the
appointment as the member may know it, a private one included. Kept copies become
the member's, as the cron now writes them. One set-based statement; idempotent.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE mail_message
           SET message_type = 'user_notification'
         WHERE model = 'care.reminder'
           AND message_type != 'user_notification'
        """
    )
