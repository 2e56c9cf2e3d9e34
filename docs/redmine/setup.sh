#!/bin/sh
# A real Redmine 5.0.4 (Debian 12 packages) on 127.0.0.1 for HourBridge's
# gated test (server/pm/tests/redmine_real.rs). Run as root; repeatable.
#
#   sh docs/redmine/setup.sh            # install, seed, start on :3000
#   PORT=3001 sh docs/redmine/setup.sh
#   SKIP_INSTALL=1 sh docs/redmine/setup.sh   # only seed + (re)start
#   EDIT_OWN=1 ...        # Developer role may edit its own time entries
#   KEEP_ENTRIES=1 ...    # keep the time entries (default: delete them all)
#
# Prints TEST_REDMINE_URL / TEST_REDMINE_KEY / TEST_REDMINE_FIELD at the end.
set -eu
PORT="${PORT:-3000}"
LOG="${LOG:-/var/log/redmine/default/webrick.log}"
export DEBIAN_FRONTEND=noninteractive
# Debian 12's security update of ruby3.1 (3.1.7-1~deb12u2) ships Bundler
# 2.3.27 as a default gem, and /usr/bin/bundle runs the newest Bundler it
# finds. 2.3.27 lacks the Debian patch of ruby-bundler 2.3.15 that accepts
# gems packaged the old way (a gemspec in /usr/share/rubygems-integration,
# no gems/<name>-<version> directory: racc, mail, websocket-driver, ...), so
# redmine's postinst `bundle install --local` fails with "Could not find
# racc-1.6.2.gem for installation". Pin Debian's Bundler for every step.
export BUNDLER_VERSION=2.3.15

if [ -z "${SKIP_INSTALL:-}" ]; then
  # 1. Packages (SQLite; dbconfig-common creates and migrates the database
  #    and loads the default data in English).
  cat <<'EOF' | debconf-set-selections
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/default-language select en
EOF
  apt-get install -y --no-install-recommends redmine redmine-sqlite || dpkg --configure -a

  # 2. A web server inside the bundle: WEBrick (ruby-webrick is already
  #    installed: libruby3.1 depends on it). Redmine reads Gemfile.local.
  echo "gem 'webrick'" > /usr/share/redmine/Gemfile.local
  cd /usr/share/redmine
  bundle install --local --quiet
  chown www-data:www-data /var/lib/redmine/Gemfile.lock
fi

cd /usr/share/redmine
as_redmine() {
  runuser -u www-data -- env BUNDLER_VERSION=2.3.15 REDMINE_INSTANCE=default \
    RAILS_ENV=production EDIT_OWN="${EDIT_OWN:-}" KEEP_ENTRIES="${KEEP_ENTRIES:-}" "$@"
}

# 3. Settings and data through `rails runner` (idempotent).
SEED=$(mktemp "${TMPDIR:-/tmp}/redmine-seed.XXXXXX.rb")
chmod 644 "$SEED"
cat > "$SEED" <<'RUBY'
# Fixed keys so that the test command never changes (40 hex digits, as Redmine's).
ADMIN_KEY = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0'
INTEGRATION_KEY = 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1'
ALICE_KEY = 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2'

Setting.rest_api_enabled = '1'           # Administration → Settings → API
# Redmine's defaults for time logging (in case an earlier run changed them).
Setting.timelog_max_hours_per_day = 999
Setting.timelog_accept_0_hours = '1'
Setting.timelog_accept_future_dates = '1'
Setting.login_required = '0'

def api_key!(user, value)
  token = user.api_token || Token.create!(user: user, action: 'api')
  token.update_column(:value, value)     # Token#before_create draws a random one
end

admin = User.find_by!(login: 'admin')
admin.update!(mail: 'admin@corp.example', must_change_passwd: false)
api_key!(admin, ADMIN_KEY)

def user!(login, first, last, mail, status: User::STATUS_ACTIVE)
  u = User.find_or_initialize_by(login: login)
  u.firstname, u.lastname, u.mail = first, last, mail
  u.password = u.password_confirmation = 'hourbridge-2026' if u.new_record?
  u.status = status
  u.admin = false
  u.save!
  u
end
integration = user!('hourbridge', 'Bridge', 'Hour', 'hourbridge@corp.example')
api_key!(integration, INTEGRATION_KEY)
alice = user!('alice', 'Alice', 'Li', 'alice@corp.example')
api_key!(alice, ALICE_KEY)
lilei = user!('lilei', '雷', '李', 'lilei@corp.example')
wang  = user!('wangfang', '芳', '王', 'wangfang@corp.example')

# Activities: the default data has Design and Development, neither default.
# The connector sends no activity_id unless configured, so one must be the default.
dev = TimeEntryActivity.find_by!(name: 'Development', project_id: nil)
dev.update!(is_default: true)

# The time-entry custom field for HourBridge's id: string, used as a filter, visible.
field = TimeEntryCustomField.find_or_initialize_by(name: 'HourBridge ID')
field.field_format = 'string'
field.is_filter = true
field.visible = true
field.save!

manager, developer = Role.find_by!(name: 'Manager'), Role.find_by!(name: 'Developer')
# Redmine's default Developer role may log time but not edit it, not even its
# own entries. EDIT_OWN=1 grants "Edit own time logs" (needed when the
# connector updates an entry as the person with X-Redmine-Switch-User).
if ENV['EDIT_OWN'] == '1'
  developer.add_permission!(:edit_own_time_entries)
else
  developer.remove_permission!(:edit_own_time_entries)
end
def project!(identifier, name, public: false)
  p = Project.find_or_initialize_by(identifier: identifier)
  p.name = name
  p.is_public = public
  p.enabled_module_names = %w[issue_tracking time_tracking]
  p.trackers = Tracker.all.to_a
  p.save!
  p
end
def member!(project, user, role)
  m = Member.find_or_initialize_by(project: project, user_id: user.id)
  m.role_ids = [role.id]
  m.save!
end
def issue!(project, subject, assignee, status_name = 'New')
  i = Issue.find_or_initialize_by(project: project, subject: subject)
  i.tracker ||= project.trackers.first
  i.author ||= User.find_by!(login: 'admin')
  i.priority ||= IssuePriority.default
  i.assigned_to = assignee
  i.status = IssueStatus.find_by!(name: status_name)
  i.save!
  i
end

crm = project!('crm', '客户关系管理')
erp = project!('erp', '企业资源计划')
ops = project!('ops', 'Operations (public)', public: true)
[crm, erp].each { |p| member!(p, integration, manager) }   # log time for other users, edit time logs
member!(crm, alice, developer)
member!(crm, lilei, developer)
member!(erp, lilei, developer)
member!(erp, wang, developer)
issue!(crm, 'CRM: interface integration', alice)
issue!(crm, 'CRM: performance', lilei, 'In Progress')
issue!(crm, 'CRM: release (closed)', alice, 'Closed')
issue!(crm, 'CRM: unassigned', nil)
issue!(erp, 'ERP: data migration', lilei)
issue!(erp, 'ERP: unassigned', nil)
# Locked after the memberships and issues (a locked user cannot be assigned).
wang.update!(status: User::STATUS_LOCKED)

# Start from no time entries, so that every run sees the same data.
TimeEntry.destroy_all if ENV['KEEP_ENTRIES'] != '1'

puts "TEST_REDMINE_KEY=#{ADMIN_KEY}"
puts "TEST_REDMINE_FIELD=#{field.id}"
puts "# non-admin integration key: #{INTEGRATION_KEY}, alice (Developer in crm): #{ALICE_KEY}"
puts "# projects: " + Project.order(:id).map { |p| "#{p.id} #{p.identifier}" }.join(', ')
puts "# issues: " + Issue.order(:id).map { |i| "#{i.id}→#{i.assigned_to&.login || '-'}#{i.closed? ? ' (closed)' : ''}" }.join(', ')
puts "# users: " + User.where(type: 'User').order(:id).map { |u| "#{u.id} #{u.login}" }.join(', ')
RUBY
as_redmine bin/rails runner "$SEED"
rm -f "$SEED"

# 4. Start (WEBrick through rackup, as README.Debian's "Quick launch"; run as
#    www-data so that logs and the SQLite file keep their owner).
if [ -f /run/redmine-webrick.pid ] && kill -0 "$(cat /run/redmine-webrick.pid)" 2>/dev/null; then
  kill "$(cat /run/redmine-webrick.pid)"
  sleep 2
fi
setsid runuser -u www-data -- env BUNDLER_VERSION=2.3.15 REDMINE_INSTANCE=default \
  rackup -E production -o 127.0.0.1 -p "$PORT" >>"$LOG" 2>&1 </dev/null &
echo $! > /run/redmine-webrick.pid
for _ in $(seq 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 1
done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/"
echo "TEST_REDMINE_URL=http://127.0.0.1:$PORT"
