"""Stage 3, evidence: the inspection framework, children's cases (and case-list import), evidence items
and their anchoring in changed text, coverage and the week-one request tracker."""
