"""The refusals the services behind the application pages can answer, as catalogue ids.

The services raise them in English (the API's words, e.g. "no worker with id %(id)s" with
its values); :func:`tka_registry.web.forms.domain_problems` shows them in the page's language.
They are listed here so the catalogue tool finds them (it reads an area's ``web*.py``): the
employer's forms, and the officer's decision, which issues permits (permits.service and
rules.permits), records new workers and passports (workers.service) and ends permits.
"""

from tka_registry.web.layout import N_

SERVICE_REASONS = (
    N_("no worker with id %(id)s"),
    N_("no employer with id %(id)s"),
    N_("the application is %(status)s: only a draft or a returned one can change"),
    N_("the application is %(status)s: only a submitted one is decided"),
    N_("the application asks for no date: give the permit's date"),
    N_(
        "Your account lacks a full name: an admin fills it in on the account (page /admin/akun) "
        "before you can decide."
    ),
    N_(
        "Your account lacks a NIP: an admin fills it in on the account (page /admin/akun) before "
        "you can decide."
    ),
    N_(
        "Your account lacks a full name and a NIP: an admin fills them in on the account (page "
        "/admin/akun) before you can decide."
    ),
    N_('unknown visa index "%(code)s": one of %(known)s'),
    N_("index %(code)s carries %(kinds)s, not %(kind)s"),
    N_("index %(code)s has no sponsoring employer: leave it empty"),
    N_("index %(code)s needs a sponsoring employer"),
    N_("permit %(permit)s is not the worker's current permit (it has no permit yet)"),
    N_("permit %(permit)s is not the worker's current permit (its current permit is %(current)s)"),
    N_(
        "the worker holds valid permit %(number)s (id %(id)s) until %(day)s: name it in "
        "supersedes_id to renew it"
    ),
    N_("the worker has no passport on record"),
    N_("permit number %(number)s is on record already"),
    N_("permit expires on %(day)s, not after its first valid day %(first)s"),
    N_(
        "first valid day %(day)s is more than %(years)s year(s) ahead: it must be on or before "
        "%(limit)s"
    ),
    N_(
        "the renewed permit runs until %(until)s: the renewal must begin on or before %(latest)s, "
        "not %(day)s"
    ),
    N_(
        "passport expires on %(passport)s, before the permit's expiry %(day)s: renew the passport "
        "first"
    ),
    N_("an ITAP is valid at most %(years)s years: expiry must be on or before %(limit)s"),
    N_(
        "ITAS may total at most %(years)s years from %(start)s: expiry must be on or before "
        "%(limit)s"
    ),
    N_(
        "an extension may not be longer than the first grant (from %(first)s to %(last)s): expiry "
        "must be on or before %(latest)s"
    ),
    N_("date of birth %(day)s is in the future"),
    N_("passport issue date %(day)s is in the future"),
    N_('"%(regency)s" is not in the office\'s working area: one of %(known)s'),
    N_("passport %(number)s of %(country)s is on record already (worker %(worker)s)"),
    N_("passport %(number)s of %(country)s is on record already"),
    N_(
        "permit %(permit)s is the principal's permit of Second Home case %(case)s: revoke the "
        "case (POST /api/v1/second-home/%(case)s/revocation) so that its dependants' permits are "
        "revoked with it"
    ),
    N_("permit was revoked on %(day)s"),
    N_("a revocation takes effect on or before today (%(today)s), not %(day)s"),
    N_("a permit cannot be revoked before its issue %(day)s"),
    N_("the application is %(status)s: only a draft can be deleted"),
    N_("%(name)s cannot be emptied"),
    N_("name the employer (sponsor) of the application"),
    N_("an employer cannot move a worker elsewhere"),
    N_("give the reason of the rejection"),
    N_("tell the employer what to add or correct"),
    N_("no application with this register number and passport number"),
    N_("the case changed hands meanwhile: reload it"),
    N_("%(holder)s has taken this case"),
    N_("the application is %(status)s: nothing to take"),
    N_("only the officer who took the case can give it back"),
)
