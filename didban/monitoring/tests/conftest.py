import pytest

from didban.monitoring.tests.fakesite import FakeSite


@pytest.fixture
def fakesite(settings):
    settings.MONITORING_POLITENESS_SECONDS = 0
    settings.MONITORING_TIMEOUT_SECONDS = 1
    settings.MONITORING_MAX_BYTES = 2 * 1024 * 1024
    site = FakeSite()
    yield site
    site.close()


@pytest.fixture
def outlet(world, personas):
    from didban.monitoring.actions import do_create_outlet

    return do_create_outlet(
        actor=personas.county_analyst, org=world.karaj_info, name="ایرنا", kind="news_agency"
    )


@pytest.fixture
def make_source(world, personas, outlet):
    from didban.monitoring.actions import do_create_source

    def make(url, kind="feed", **kwargs):
        return do_create_source(
            actor=personas.county_analyst,
            org=world.karaj_info,
            outlet=kwargs.pop("outlet", outlet),
            name=kwargs.pop("name", "منبع آزمایشی"),
            kind=kind,
            url=url,
            **kwargs,
        )

    return make


@pytest.fixture
def agency_sources(world, personas, make_source):
    """Three local sources of three news agencies of Karaj (ingest tests)."""
    from didban.monitoring.actions import do_create_outlet

    outlets = [
        do_create_outlet(actor=personas.county_analyst, org=world.karaj_info, name=name,
                         kind="news_agency")
        for name in ("ایرنا", "ایسنا", "تسنیم")
    ]  # fmt: skip
    return [make_source(f"/archive/{o.pk}", kind="local", outlet=o, name=o.name) for o in outlets]
