"""One typed Settings object, loaded once from the environment and `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kernel.vocabulary import Outcome


class Settings(BaseSettings):
    """Every setting Rampe reads; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # Core
    database_url: str = Field("sqlite:///rampe.db", alias="RAMPE_DATABASE_URL")
    language: Literal["da", "en"] = Field("da", alias="RAMPE_LANGUAGE")
    timezone: str = Field("Europe/Copenhagen", alias="RAMPE_TIMEZONE")
    undo_minutes: int = Field(10, alias="RAMPE_UNDO_MINUTES", ge=1, le=1440)
    choice_minutes: int = Field(30, alias="RAMPE_CHOICE_MINUTES", ge=1, le=1440)
    log_level: str = Field("WARNING", alias="RAMPE_LOG_LEVEL")
    # text: one plain line per record; json: one JSON object per line, for a log collector.
    log_format: Literal["text", "json"] = Field("text", alias="RAMPE_LOG_FORMAT")
    # false: only `rampe migrate` upgrades the schema; other commands refuse an old one.
    migrate_on_start: bool = Field(True, alias="RAMPE_MIGRATE_ON_START")
    # random: new citizens' handles are random codes; sequential (tests, demos): BBB-0001, ...
    handle_order: Literal["random", "sequential"] = Field("random", alias="RAMPE_HANDLE_ORDER")

    # Web server (Slack and Teams share it)
    host: str = Field("127.0.0.1", alias="RAMPE_HOST")
    port: int = Field(3000, alias="RAMPE_PORT", ge=0, le=65535)
    # On SIGTERM: seconds to finish requests in flight and the send in progress, then exit.
    stop_seconds: float = Field(20.0, alias="RAMPE_STOP_SECONDS", ge=0, le=600)

    # Slack
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")

    # Microsoft Teams (Bot Framework)
    microsoft_app_id: str = Field("", alias="MICROSOFT_APP_ID")
    microsoft_app_password: SecretStr | None = Field(None, alias="MICROSOFT_APP_PASSWORD")
    microsoft_app_tenant_id: str = Field("", alias="MICROSOFT_APP_TENANT_ID")
    teams_allow_unauthenticated: bool = Field(False, alias="TEAMS_ALLOW_UNAUTHENTICATED")
    teams_openid_metadata_url: str = Field("", alias="TEAMS_OPENID_METADATA_URL")

    # Data protection
    pseudonym_key: SecretStr | None = Field(None, alias="RAMPE_PSEUDONYM_KEY")
    encryption_key: SecretStr | None = Field(None, alias="RAMPE_ENCRYPTION_KEY")

    # --- Teams ---
    # Hosts a Teams serviceUrl may name (the bot's token is sent there); `*.` matches subdomains.
    teams_service_hosts: str = Field(
        "smba.trafficmanager.net,*.botframework.com,*.teams.microsoft.com,*.teams.microsoft.us",
        alias="TEAMS_SERVICE_HOSTS",
    )
    # Hosts a Teams file upload URL may name (report bytes are sent there); `*.` as above.
    teams_upload_hosts: str = Field("*.sharepoint.com", alias="TEAMS_UPLOAD_HOSTS")
    # --- Slack delivery ---
    # Seconds between two messages to one Slack channel (Slack allows about one per second).
    slack_post_interval: float = Field(1.0, alias="SLACK_POST_INTERVAL", ge=0, le=60)
    # chat.postMessage calls per minute for the whole workspace, spread evenly (0: no limit).
    slack_post_per_minute: float = Field(600.0, alias="SLACK_POST_PER_MINUTE", ge=0)
    # A channel id (C...) for the programme's weekly status figures (aggregates only); empty: off.
    slack_status_channel: str = Field(
        "", alias="SLACK_STATUS_CHANNEL", pattern=r"^([CG][A-Z0-9]+)?$"
    )
    # --- Health data ---
    # Courses ended longer ago than this are erased by the retention job.
    retention_months: int = Field(24, alias="RAMPE_RETENTION_MONTHS", ge=1, le=600)

    @property
    def encryption_keys(self) -> list[str]:
        """The Fernet keys in RAMPE_ENCRYPTION_KEY (comma-separated; the first encrypts)."""
        value = self.encryption_key.get_secret_value() if self.encryption_key else ""
        return [key.strip() for key in value.split(",") if key.strip()]

    # --- Follow-ups ---
    gap_start_days: int = Field(7, alias="RAMPE_GAP_START_DAYS", ge=1)
    gap_start_weeks: int = Field(8, alias="RAMPE_GAP_START_WEEKS", ge=0)
    gap_days: int = Field(14, alias="RAMPE_GAP_DAYS", ge=1)
    gap_aftercare_days: int = Field(30, alias="RAMPE_GAP_AFTERCARE_DAYS", ge=1)
    gap_job_max_days: int = Field(90, alias="RAMPE_GAP_JOB_MAX_DAYS", ge=1)
    referral_days: int = Field(7, alias="RAMPE_REFERRAL_DAYS", ge=1)
    praktik_visit_days: int = Field(21, alias="RAMPE_PRAKTIK_VISIT_DAYS", ge=1)
    praktik_hours_review_days: int = Field(28, alias="RAMPE_PRAKTIK_HOURS_REVIEW_DAYS", ge=1)
    praktik_ending_days: int = Field(14, alias="RAMPE_PRAKTIK_ENDING_DAYS", ge=1)
    praktik_limit_weeks: dict[str, int] = Field(
        {
            "standard": 13,
            "kontanthjælp": 13,
            "dagpenge": 4,
            "sygedagpenge": 13,
            "ledighedsydelse": 13,
        },
        alias="RAMPE_PRAKTIK_LIMIT_WEEKS",
    )
    job_contact_days: int = Field(3, alias="RAMPE_JOB_CONTACT_DAYS", ge=1)
    job_first_check_months: int = Field(1, alias="RAMPE_JOB_FIRST_CHECK_MONTHS", ge=1, le=5)
    job_second_check_months: int = Field(3, alias="RAMPE_JOB_SECOND_CHECK_MONTHS", ge=1, le=5)
    company_praktik_days: int = Field(14, alias="RAMPE_COMPANY_PRAKTIK_DAYS", ge=1)
    company_job_days: int = Field(90, alias="RAMPE_COMPANY_JOB_DAYS", ge=1)
    who5_start_days: int = Field(14, alias="RAMPE_WHO5_START_DAYS", ge=1)
    referred_decide_days: int = Field(30, alias="RAMPE_REFERRED_DECIDE_DAYS", ge=1)
    ips_employer_days: int = Field(30, alias="RAMPE_IPS_EMPLOYER_DAYS", ge=1)
    pause_default_weeks: int = Field(2, alias="RAMPE_PAUSE_DEFAULT_WEEKS", ge=1, le=52)
    digest_time: str = Field("08:30", alias="RAMPE_DIGEST_TIME", pattern=r"^\d{2}:\d{2}$")
    digest_max_items: int = Field(5, alias="RAMPE_DIGEST_MAX_ITEMS", ge=1, le=20)
    lead_digest_weekday: int = Field(0, alias="RAMPE_LEAD_DIGEST_WEEKDAY", ge=0, le=6)
    lead_digest_time: str = Field("08:00", alias="RAMPE_LEAD_DIGEST_TIME", pattern=r"^\d{2}:\d{2}$")
    escalation_days: int = Field(7, alias="RAMPE_ESCALATION_DAYS", ge=1)
    sweep_minutes: int = Field(5, alias="RAMPE_SWEEP_MINUTES", ge=1, le=60)
    claim_lease_seconds: int = Field(300, alias="RAMPE_CLAIM_LEASE_SECONDS", ge=5)
    # An answer being sent longer than this belongs to a worker that stopped: a redelivery of
    # its message may send it instead (Slack redelivers after about 1 and 5 minutes).
    reply_lease_seconds: int = Field(30, alias="RAMPE_REPLY_LEASE_SECONDS", ge=1, le=3600)
    # --- Capture: what /log asks about before storing ---
    # A contact dated further back than this many days is asked about first.
    log_days_back: int = Field(45, alias="RAMPE_LOG_DAYS_BACK", ge=1, le=3650)
    # The longest plausible contact per form, in minutes; longer is asked about first.
    log_max_minutes: dict[str, int] = Field(
        default_factory=lambda: {"phone": 180, "sms": 60, "email": 60, "video": 240},
        alias="RAMPE_LOG_MAX_MINUTES",
    )
    # The limit for the forms RAMPE_LOG_MAX_MINUTES does not name (meetings, visits, ...).
    log_max_minutes_other: int = Field(480, alias="RAMPE_LOG_MAX_MINUTES_OTHER", ge=1, le=1440)

    def max_minutes(self, form: str) -> int:
        """The longest plausible contact of `form`, in minutes."""
        return self.log_max_minutes.get(form, self.log_max_minutes_other)

    # --- Reports ---
    hourly_rate: float = Field(300.0, alias="RAMPE_HOURLY_RATE", ge=0)
    overhead_pct: float = Field(20.0, alias="RAMPE_OVERHEAD_PCT", ge=0, le=500)
    caseload_cap: int = Field(20, alias="RAMPE_CASELOAD_CAP", ge=1, le=500)
    jobrate_cohort: Literal["ended", "referred", "started", "completed", "praktik"] = Field(
        "ended", alias="RAMPE_JOBRATE_COHORT"
    )
    jobrate_outcomes: str = Field(
        "job,flex_job,wage_subsidy,small_job", alias="RAMPE_JOBRATE_OUTCOMES"
    )
    lasting_counts_pension: bool = Field(True, alias="RAMPE_LASTING_COUNTS_PENSION")
    targets: dict[str, float] = Field(
        default_factory=lambda: {"job_rate": 55.0, "lasting_rate": 60.0}, alias="RAMPE_TARGETS"
    )
    who5_points: str = Field("0,1,2,4,6", alias="RAMPE_WHO5_POINTS", pattern=r"^\d+(,\d+)*$")
    team_targets: dict[str, dict[str, float]] = Field(
        default_factory=dict, alias="RAMPE_TEAM_TARGETS"
    )
    report_out_dir: str = Field("out", alias="RAMPE_REPORT_OUT_DIR")

    @field_validator("jobrate_outcomes")
    @classmethod
    def _known_outcomes(cls, value: str) -> str:
        names = [v.strip() for v in value.split(",") if v.strip()]
        unknown = [v for v in names if v not in {o.value for o in Outcome}]
        if unknown or not names:
            raise ValueError(f"unknown outcomes in RAMPE_JOBRATE_OUTCOMES: {unknown}")
        return ",".join(names)

    @property
    def who5_months(self) -> tuple[int, ...]:
        """The WHO-5 measurement points, in months after the course start (0 is the start)."""
        return tuple(sorted({int(v) for v in self.who5_points.split(",")}))

    @property
    def counted_outcomes(self) -> tuple[str, ...]:
        """The course outcomes that count as "in job" for the job rate."""
        return tuple(self.jobrate_outcomes.split(","))

    @property
    def slack_configured(self) -> bool:
        """True when enough Slack settings are present to run the Slack app."""
        return self.slack_bot_token is not None and (
            self.slack_signing_secret is not None or self.slack_app_token is not None
        )

    @property
    def teams_configured(self) -> bool:
        """True when the Teams endpoint should be served."""
        return bool(self.microsoft_app_id) or self.teams_allow_unauthenticated


def load_settings(env_file: Path | str | None = ".env", **overrides: Any) -> Settings:
    """Load settings from the environment and an optional `.env` file."""
    return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
