#!/usr/bin/env sh
# Extract the messages of the code and templates and bring the Spanish catalog up to date;
# JSON files given as arguments ({"English": "Español"}) fill the new messages.
set -e
cd "$(dirname "$0")/../.."
pybabel extract -F app/translations/babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot \
  --no-location --omit-header --sort-output app
python app/translations/fill_catalog.py "$@"
