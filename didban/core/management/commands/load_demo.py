from django.core.management.base import BaseCommand, CommandError

from didban.core.demo import DEMO_PASSWORD, demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo scenario (Karaj county in Alborz province) into an empty database."

    def handle(self, *args, **options):
        if demo_is_loaded():
            raise CommandError("the demo scenario is already loaded")
        logins = load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"demo loaded; every login's password is {DEMO_PASSWORD}")
        )
        for login in logins:
            self.stdout.write(f"  {login.username:20} {login.role:12} {login.org}")
