"""NOTIFY kinrw_tenancy on every change of tenants or domains (host cache invalidation)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION kinrw_tenancy_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('kinrw_tenancy', TG_TABLE_NAME);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER kinrw_tenant_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON tenancy_tenant FOR EACH STATEMENT EXECUTE FUNCTION kinrw_tenancy_notify();
CREATE TRIGGER kinrw_domain_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON tenancy_domain FOR EACH STATEMENT EXECUTE FUNCTION kinrw_tenancy_notify();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS kinrw_domain_notify ON tenancy_domain;
DROP TRIGGER IF EXISTS kinrw_tenant_notify ON tenancy_tenant;
DROP FUNCTION IF EXISTS kinrw_tenancy_notify();
"""


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
