# deploy/inquiryd.service as the package installs it: the binary in /usr/sbin, the system
# user inquiryd (debian/inquiryd.sysusers) instead of a dynamic one, the docs under /usr/share.
1,/^\[Unit\]/c\
# systemd unit for inquiryd, from the Debian package (made from deploy/inquiryd.service).\
# Configure in /etc/inquiryd/inquiryd.toml; override with `systemctl edit inquiryd`.\
[Unit]
s|^Documentation=.*|Documentation=man:inquiryd(8) file:///usr/share/doc/inquiryd/|
s|/usr/local/bin/inquiryd|/usr/sbin/inquiryd|g
s|^# A dedicated user, created on the fly, owning only its state folder.|# The system user inquiryd (made at install by sysusers.d), owning only its state folder.|
s|^DynamicUser=yes|User=inquiryd\
Group=inquiryd|
