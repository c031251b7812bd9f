"""Public Wi-Fi hotspots: AP state from WLAN controllers (SNMP AP tables, or ``show ap summary`` /
``display ap all`` over SSH) or from the AP itself (ifOperStatus, sysUpTime), reachability, and the
controllers' WLAN configuration (SSID security, per-user bandwidth) for the policy checks."""
