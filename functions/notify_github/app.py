"""Opens, comments on and closes the alarm's GitHub issue for each report and recovery follow-up."""

from alarm_analyzer.lambda_notifiers import github_notifier

handler = github_notifier()
