"""Every sentence the report says, in English and Japanese, and how values are written."""

from __future__ import annotations

from typing import Any, Literal

Lang = Literal["en", "ja"]
LANGUAGES: tuple[Lang, ...] = ("en", "ja")

CATEGORY_TITLES: dict[str, dict[Lang, str]] = {
    "database_connection_exhaustion": {"en": "Database connection exhaustion", "ja": "DB コネクション枯渇"},
    "database_resource_pressure": {"en": "Database resource pressure", "ja": "DB リソース逼迫"},
    "slow_database_query": {"en": "Slow database query", "ja": "DB クエリの遅延"},
    "downstream_dependency_latency": {"en": "Slow downstream dependency", "ja": "下流依存先の遅延"},
    "application_code_latency": {"en": "Slow application code", "ja": "アプリケーションコードの遅延"},
    "application_error": {"en": "Application error", "ja": "アプリケーションエラー"},
    "deployment_regression": {"en": "Deployment regression", "ja": "デプロイによる劣化"},
    "lambda_timeout": {"en": "Lambda timeout", "ja": "Lambda タイムアウト"},
    "lambda_throttling": {"en": "Lambda throttling", "ja": "Lambda スロットリング"},
    "lambda_memory_exhaustion": {"en": "Lambda memory exhaustion", "ja": "Lambda メモリ不足"},
    "async_processing_failure": {"en": "Asynchronous processing failure", "ja": "非同期処理の失敗"},
    "unhealthy_targets": {"en": "Unhealthy targets", "ja": "ターゲットの異常"},
    "health_check_misconfiguration": {"en": "Health check misconfiguration", "ja": "ヘルスチェック設定ミス"},
    "network_misconfiguration": {"en": "Network misconfiguration", "ja": "ネットワーク設定ミス"},
    "compute_saturation": {"en": "Compute saturation", "ja": "コンピュート飽和"},
    "traffic_surge": {"en": "Traffic surge", "ja": "トラフィック急増"},
    "alarm_misconfiguration": {
        "en": "Alarm misconfiguration (false positive)",
        "ja": "アラーム設定ミス（誤検知）",
    },
    "inconclusive": {"en": "Inconclusive", "ja": "原因を特定できず"},
    "cache_pressure": {"en": "Cache pressure", "ja": "キャッシュの逼迫"},
    "storage_exhaustion": {"en": "Storage exhaustion", "ja": "ストレージ容量の枯渇"},
    "burst_credit_exhaustion": {"en": "Burst credit exhaustion", "ja": "バーストクレジットの枯渇"},
    "infrastructure_failure": {"en": "Infrastructure failure", "ja": "基盤の障害"},
    "nat_gateway_exhaustion": {"en": "NAT gateway exhaustion", "ja": "NAT ゲートウェイの枯渇"},
    "certificate_expiry": {"en": "Certificate expiry", "ja": "証明書の期限切れ"},
    "credentials_failure": {"en": "Credentials failure", "ja": "認証情報の失効"},
    "dynamodb_throttling": {"en": "DynamoDB throttling", "ja": "DynamoDB スロットリング"},
    "api_throttling": {"en": "API rate limiting", "ja": "API レート制限"},
    "consumer_lag": {"en": "Consumer lag", "ja": "コンシューマーの処理遅延"},
    "replication_lag": {"en": "Replication lag", "ja": "レプリケーション遅延"},
}

MESSAGES: dict[str, dict[Lang, str]] = {
    # headings
    "h.impact": {"en": "Impact", "ja": "影響"},
    "h.root_cause": {"en": "Probable root cause", "ja": "推定される根本原因"},
    "h.evidence": {"en": "Evidence", "ja": "根拠"},
    "h.short_term": {"en": "Do now", "ja": "今すぐ行うこと"},
    "h.long_term": {"en": "Fix for good", "ja": "恒久対策"},
    "h.runbook": {"en": "Runbook", "ja": "ランブック"},
    "h.triage": {"en": "3-minute triage", "ja": "3 分トリアージ"},
    "h.mitigate": {"en": "Recover (safest first)", "ja": "暫定復旧（安全な順）"},
    "h.fix": {"en": "Permanent fix", "ja": "恒久対応"},
    "h.hypotheses": {"en": "Other hypotheses", "ja": "他の仮説"},
    "h.gaps": {"en": "Not checked", "ja": "確認できなかったこと"},
    "h.alarm_quality": {"en": "About the alarm itself", "ja": "アラーム自体について"},
    "label.severity": {"en": "Severity", "ja": "重大度"},
    "label.confidence": {"en": "confidence", "ja": "確度"},
    "label.resource": {"en": "Resource", "ja": "対象リソース"},
    "label.chain": {"en": "How it unfolded", "ja": "連鎖"},
    "role.symptom": {"en": "a symptom of {cause}", "ja": "{cause} の症状"},
    "role.alternative": {"en": "alternative", "ja": "別の可能性"},
    "role.root": {"en": "leading, below the floor", "ja": "最有力だが確度不足"},
    "label.alarm": {"en": "Alarm", "ja": "アラーム"},
    "label.state_changed": {"en": "State changed", "ja": "状態変化"},
    "label.where": {"en": "Account, region", "ja": "アカウント、リージョン"},
    "label.baseline": {"en": "before", "ja": "直前"},
    "label.runbook_link": {"en": "Your runbook", "ja": "チームのランブック"},
    "stats.line": {
        "en": "{api_calls} API calls, {seconds:.1f} s, incident {incident_id}",
        "ja": "API 呼び出し {api_calls} 回、{seconds:.1f} 秒、インシデント {incident_id}",
    },
    "stats.cost": {
        "en": "; about ${usd} at list prices ({rounds} rounds of calls)",
        "ja": "、定価で約 {usd} ドル（API 呼び出し {rounds} 段）",
    },
    "severity.page": {"en": "PAGE", "ja": "PAGE（即時対応）"},
    "severity.ticket": {"en": "TICKET", "ja": "TICKET（営業時間内）"},
    "severity.info": {"en": "INFO", "ja": "INFO（対応不要）"},
    "verdict": {"en": "{title}: {summary}", "ja": "{title}: {summary}"},
    "subject": {"en": "[{severity}] {alarm}: {title}", "ja": "[{severity}] {alarm}: {title}"},
    # evidence summaries
    "ev.series": {
        "en": "{metric} ({resource}, {stat}): {incident} vs {baseline} before{ratio}{peak}",
        "ja": "{metric}（{resource}、{stat}）: 直前 {baseline} に対し {incident}{ratio}{peak}",
    },
    "ev.series.ratio": {"en": " (x{ratio})", "ja": "（×{ratio}）"},
    "ev.series.peak": {"en": ", worst {peak} at {at}", "ja": "、最悪値 {peak}（{at}）"},
    "ev.series.fallback": {"en": " [{note}]", "ja": " [{note}]"},
    "ev.series.day_ago": {"en": "; a day earlier {value}", "ja": "、前日同時刻 {value}"},
    "ev.alarm.children": {"en": "Alarms in the rule: {children}", "ja": "ルール内のアラーム: {children}"},
    "ev.series.empty": {
        "en": "{metric} ({resource}, {stat}): no datapoints in the incident window or before",
        "ja": "{metric}（{resource}、{stat}）: 障害時間帯にも直前にもデータなし",
    },
    "ev.signature": {
        "en": '{count}x {level} in {groups}: "{signature}" ({baseline_note})',
        "ja": "{groups} で {level} が {count} 件: 「{signature}」（{baseline_note}）",
    },
    "ev.signature.new": {"en": "new: absent before", "ja": "新規: 直前には無し"},
    "ev.signature.baseline": {
        "en": "{baseline}x in the {minutes} min before",
        "ja": "直前 {minutes} 分間に {baseline} 件",
    },
    "ev.traces.latency": {
        "en": "{analyzed} of {total} traces analyzed: p50 {p50}, p95 {p95}, {slow_pct}% slower than {threshold}",
        "ja": "トレース {total} 件中 {analyzed} 件を分析: p50 {p50}、p95 {p95}、{threshold} 超が {slow_pct}%",
    },
    "ev.traces.faults": {
        "en": "Traces: {fault_pct}% faults (5xx), {error_pct}% errors (4xx), {throttle_pct}% throttled",
        "ja": "トレース: フォールト(5xx) {fault_pct}%、エラー(4xx) {error_pct}%、スロットル {throttle_pct}%",
    },
    "ev.contributor": {
        "en": "{kind} {name}: {share}% of the slow requests' time, {avg} per request",
        "ja": "{kind} {name}: 遅いリクエストの時間の {share}%、1 リクエストあたり {avg}",
    },
    "level.error": {"en": "errors", "ja": "エラー"},
    "level.warning": {"en": "warnings", "ja": "警告"},
    "level.notice": {"en": "notices", "ja": "注意"},
    "kind.sql": {"en": "SQL", "ja": "SQL"},
    "kind.remote_http": {"en": "Remote call", "ja": "外部呼び出し"},
    "kind.aws_sdk": {"en": "AWS call", "ja": "AWS 呼び出し"},
    "kind.own_code": {"en": "Own code", "ja": "自コード"},
    "ev.alarm.metric_missing": {
        "en": "No metric {namespace}/{metric} with exactly these dimensions exists: {dimensions}",
        "ja": "このディメンションを持つメトリクス {namespace}/{metric} は存在しない: {dimensions}",
    },
    "ev.alarm.similar": {"en": " Existing: {similar}", "ja": " 実在するもの: {similar}"},
    "ev.alarm.dimension": {
        "en": "Dimension {name}={value} is not in the form {namespace} uses ({expected}){suggestion}",
        "ja": "ディメンション {name}={value} は {namespace} の形式（{expected}）ではない{suggestion}",
    },
    "ev.alarm.suggestion": {"en": "; probably meant {suggestion}", "ja": "。正しくはおそらく {suggestion}"},
    "ev.alarm.history": {
        "en": "{transitions} state changes in the previous day ({alarms} into ALARM)",
        "ja": "直前 1 日の状態変化 {transitions} 回（うち ALARM へ {alarms} 回）",
    },
    "ev.alarm.state": {"en": "Alarm reason: {reason}", "ja": "アラームの理由: {reason}"},
    # rule reasons
    "r.pool_logs": {
        "en": '"{signature}" logged {count}x{new}',
        "ja": "「{signature}」が {count} 件記録{new}",
    },
    "r.new": {"en": " (new)", "ja": "（新規）"},
    "r.connections_pinned": {
        "en": "{metric} pinned at {peak} (was {baseline})",
        "ja": "{metric} が {peak} で頭打ち（直前 {baseline}）",
    },
    "r.metric_moved": {
        "en": "{metric} {incident} (was {baseline})",
        "ja": "{metric} が {incident}（直前 {baseline}）",
    },
    "r.pressure_logs": {
        "en": '"{signature}" logged {count}x',
        "ja": "「{signature}」が {count} 件記録",
    },
    "r.dominant": {
        "en": "{kind} {name} took {share}% of slow requests' time ({avg} per request){was}",
        "ja": "{kind} {name} が遅いリクエストの時間の {share}% を占有（1 リクエストあたり {avg}）{was}",
    },
    "r.was": {"en": ", {before} before", "ja": "、以前は {before}"},
    "r.latency_up": {"en": "latency {value} (was {baseline})", "ja": "レイテンシ {value}（直前 {baseline}）"},
    "r.p95": {"en": "trace p95 {p95}", "ja": "トレース p95 {p95}"},
    "r.timeout_logs": {
        "en": '"{signature}" logged {count}x',
        "ja": "「{signature}」が {count} 件記録",
    },
    "r.metric_missing": {
        "en": "the alarm watches {namespace}/{metric} with dimensions no metric has",
        "ja": "アラームは実在しないディメンションの {namespace}/{metric} を監視している",
    },
    "r.no_datapoints": {
        "en": "its metric got no datapoints in the window",
        "ja": "その時間帯にデータポイントが無い",
    },
    "r.dimension": {
        "en": "{name}={value} should look like {expected}{suggestion}",
        "ja": "{name}={value} は {expected} の形式であるべき{suggestion}",
    },
    "r.healthy": {
        "en": "the service itself looks healthy ({detail})",
        "ja": "サービス自体は正常に見える（{detail}）",
    },
    "r.healthy.detail": {
        "en": "no new errors, trace faults {fault_pct}%",
        "ja": "新しいエラーなし、トレースのフォールト {fault_pct}%",
    },
    # hypothesis summaries
    "s.database_connection_exhaustion": {
        "en": "{resource} ran out of database connections; requests queue for a connection",
        "ja": "{resource} の DB コネクションが枯渇し、リクエストが接続待ちで滞留している",
    },
    "s.database_resource_pressure": {
        "en": "{resource} is short of memory/CPU, so queries slow down",
        "ja": "{resource} のメモリ/CPU が逼迫し、クエリが遅くなっている",
    },
    "s.downstream_dependency_latency": {
        "en": "calls to {resource} are slow and hold requests up",
        "ja": "{resource} への呼び出しが遅く、リクエストを滞留させている",
    },
    "s.application_code_latency": {
        "en": "time is spent in the application's own code ({resource})",
        "ja": "アプリケーション自身のコード（{resource}）で時間がかかっている",
    },
    "s.alarm_misconfiguration": {
        "en": "the alarm {resource} is misconfigured; the service is not what is broken",
        "ja": "アラーム {resource} の設定ミスであり、サービス自体の障害ではない",
    },
    "s.inconclusive": {
        "en": "no hypothesis is supported well enough; checked {checked}",
        "ja": "十分に裏付けられた仮説がない。確認済み: {checked}",
    },
    # changes and resources (evidence)
    "ev.before_breach": {"en": "{minutes} min before the breach", "ja": "閾値超過の {minutes} 分前"},
    "ev.after_breach": {"en": "{minutes} min after the breach began", "ja": "閾値超過開始の {minutes} 分後"},
    "ev.change": {
        "en": "{when}: {action} on {resource}{identifier}{status}{actor}{detail}",
        "ja": "{when}: {resource} に対する {action}{identifier}{status}{actor}{detail}",
    },
    "ev.change.identifier": {"en": " ({value})", "ja": "（{value}）"},
    "ev.change.status": {"en": ", status {value}", "ja": "、状態 {value}"},
    "ev.change.actor": {"en": ", by {value}", "ja": "、実行者 {value}"},
    "ev.change.detail": {"en": "; {value}", "ja": "。{value}"},
    "ev.change.rolled_back": {"en": " (already rolled back)", "ja": "（ロールバック済み）"},
    "ev.changes": {
        "en": "{count} changes to {resources} in the incident window and the hour before",
        "ja": "障害時間帯とその前 1 時間に {resources} への変更が {count} 件",
    },
    "ev.changes.none": {
        "en": "No change to {resources} in the incident window and the hour before",
        "ja": "障害時間帯とその前 1 時間に {resources} への変更は無い",
    },
    "ev.invocations": {
        "en": "{function}: {invocations} invocations reported, {timeouts} timed out, {oom} out of memory; "
        "longest {duration}, max memory {used} of {size} MB, {cold} cold starts",
        "ja": "{function}: 実行 {invocations} 件のうちタイムアウト {timeouts} 件、メモリ不足 {oom} 件。"
        "最長 {duration}、最大メモリ {used} / {size} MB、コールドスタート {cold} 件",
    },
    "ev.targets": {
        "en": "{unhealthy} of {total} targets unhealthy in {name}{reasons}; health check {protocol} {path} "
        "expects {matcher}; by zone: {zones}",
        "ja": "{name} のターゲット {total} 台中 {unhealthy} 台が異常{reasons}。ヘルスチェック {protocol} {path} "
        "の期待コードは {matcher}。AZ 別: {zones}",
    },
    "ev.targets.reasons": {"en": " ({value})", "ja": "（{value}）"},
    "ev.service": {
        "en": "ECS service {name}: {running} of {desired} tasks running ({task_definition})",
        "ja": "ECS サービス {name}: 稼働タスク {running} / 必要数 {desired}（{task_definition}）",
    },
    "ev.function": {
        "en": "Function {name}: timeout {timeout} s, memory {memory} MB{reserved}{vpc}",
        "ja": "関数 {name}: タイムアウト {timeout} 秒、メモリ {memory} MB{reserved}{vpc}",
    },
    "ev.function.reserved": {"en": ", reserved concurrency {value}", "ja": "、予約同時実行数 {value}"},
    "ev.function.vpc": {"en": ", in subnets {value}", "ja": "、サブネット {value}"},
    "ev.database": {
        "en": "Database {id} ({instance_class}, {engine}): {status}{max_connections}{events}",
        "ja": "データベース {id}（{instance_class}、{engine}）: {status}{max_connections}{events}",
    },
    "ev.database.max_connections": {"en": ", max_connections {value}", "ja": "、max_connections {value}"},
    "ev.database.events": {"en": "; events: {value}", "ja": "。イベント: {value}"},
    "ev.database.replica": {"en": ", read replica of {value}", "ja": "、{value} のリードレプリカ"},
    "ev.database.storage": {
        "en": ", storage {allocated} GiB {type}{ceiling}",
        "ja": "、ストレージ {allocated} GiB（{type}）{ceiling}",
    },
    "ev.database.storage_ceiling": {
        "en": " (autoscaling up to {value} GiB)",
        "ja": "（自動拡張の上限 {value} GiB）",
    },
    "ev.database.no_autoscaling": {"en": " (no storage autoscaling)", "ja": "（ストレージ自動拡張なし）"},
    "ev.table": {
        "en": "Table {name}: {billing}{scaling}{indexes}",
        "ja": "テーブル {name}: {billing}{scaling}{indexes}",
    },
    "ev.table.provisioned": {
        "en": "provisioned, {read} RCU / {write} WCU",
        "ja": "プロビジョンド、{read} RCU / {write} WCU",
    },
    "ev.table.on_demand": {"en": "on-demand{ceiling}", "ja": "オンデマンド{ceiling}"},
    "ev.table.ceiling": {
        "en": " (at most {read} reads and {write} writes a second)",
        "ja": "（上限は毎秒読み込み {read}、書き込み {write}）",
    },
    "ev.table.scaling": {
        "en": "; auto scaling {dimension} {min}-{max}{suspended}",
        "ja": "。Auto Scaling {dimension} {min}〜{max}{suspended}",
    },
    "ev.table.suspended": {"en": " (suspended)", "ja": "（停止中）"},
    "ev.table.no_scaling": {"en": "; no auto scaling", "ja": "。Auto Scaling なし"},
    "ev.table.index": {
        "en": "; index {name}: {read} RCU / {write} WCU",
        "ja": "。インデックス {name}: {read} RCU / {write} WCU",
    },
    "ev.stage": {
        "en": "{kind} API {api}, stage {stage}: {throttle}{plans}{account}; logging {logging}",
        "ja": "{kind} API {api} のステージ {stage}: {throttle}{plans}{account}。ログ {logging}",
    },
    "ev.stage.throttle": {
        "en": "{route} throttled at {rate}/s (burst {burst})",
        "ja": "{route} のスロットリング {rate}/秒（バースト {burst}）",
    },
    "ev.stage.no_throttle": {"en": "no stage throttling", "ja": "ステージのスロットリング設定なし"},
    "ev.stage.plans": {"en": "; usage plans: {value}", "ja": "。使用量プラン: {value}"},
    "ev.stage.plan": {
        "en": "{name} {rate}/s (burst {burst}), quota {quota}",
        "ja": "{name} {rate}/秒（バースト {burst}）、クォータ {quota}",
    },
    "ev.stage.account": {
        "en": "; account limit {rate}/s (burst {burst})",
        "ja": "。アカウント上限 {rate}/秒（バースト {burst}）",
    },
    "ev.cache": {
        "en": "Cache {id} ({engine}, {node_type}, {nodes} nodes): {status}{policy}{failover}{events}",
        "ja": "キャッシュ {id}（{engine}、{node_type}、ノード {nodes}）: {status}{policy}{failover}{events}",
    },
    "ev.cache.policy": {"en": ", maxmemory-policy {value}", "ja": "、maxmemory-policy {value}"},
    "ev.cache.failover": {"en": ", automatic failover {value}", "ja": "、自動フェイルオーバー {value}"},
    "ev.stream": {
        "en": "Stream {name}: {mode}, {shards} open shards, {consumers} enhanced fan-out consumers, status {status}",
        "ja": "ストリーム {name}: {mode}、オープンシャード {shards}、拡張ファンアウトのコンシューマー {consumers}、状態 {status}",
    },
    "ev.instance": {
        "en": "Instance {id} ({type}{credits}): {state}; system check {system}, instance check {instance}{events}",
        "ja": "インスタンス {id}（{type}{credits}）: {state}。システムチェック {system}、インスタンスチェック {instance}{events}",
    },
    "ev.instance.credits": {"en": ", {value} CPU credits", "ja": "、CPU クレジット {value}"},
    "ev.instance.events": {"en": "; scheduled: {value}", "ja": "。予定されたイベント: {value}"},
    "ev.nat": {
        "en": "NAT gateway {id}: {state}, {connectivity}, {addresses} addresses, in {subnet}{failure}",
        "ja": "NAT ゲートウェイ {id}: {state}、{connectivity}、アドレス {addresses} 個、{subnet} 内{failure}",
    },
    "ev.nat.failure": {"en": "; failure: {value}", "ja": "。障害: {value}"},
    "ev.certificate": {
        "en": "Certificate {domain} ({type}): {status}, expires {expires} ({days} days left){renewal}",
        "ja": "証明書 {domain}（{type}）: {status}、有効期限 {expires}（残り {days} 日）{renewal}",
    },
    "ev.certificate.renewal": {
        "en": "; renewal {eligibility}, {status}{reason}",
        "ja": "。更新 {eligibility}、{status}{reason}",
    },
    "ev.volume": {
        "en": "Volume {id}: {type}, {size} GiB{iops}, attached to {attached}",
        "ja": "ボリューム {id}: {type}、{size} GiB{iops}、接続先 {attached}",
    },
    "ev.volume.iops": {"en": ", {value} IOPS", "ja": "、{value} IOPS"},
    "ev.file_system": {
        "en": "File system {id}: {throughput} throughput, {performance}{size}",
        "ja": "ファイルシステム {id}: スループット {throughput}、{performance}{size}",
    },
    "ev.file_system.size": {"en": ", {value} stored", "ja": "、保存量 {value}"},
    "ev.state_machine": {
        "en": "State machine {name}: {type}, {status}, logging {level}",
        "ja": "ステートマシン {name}: {type}、{status}、ログ {level}",
    },
    "ev.rule": {
        "en": "Rule {name} on bus {bus}: {state}; targets: {targets}",
        "ja": "バス {bus} のルール {name}: {state}。ターゲット: {targets}",
    },
    "ev.rule.target": {
        "en": "{target} ({dead_letter}, {retries} retries)",
        "ja": "{target}（{dead_letter}、再試行 {retries} 回）",
    },
    "ev.rule.dead_letter": {"en": "dead-letter queue {value}", "ja": "デッドレターキュー {value}"},
    "ev.rule.no_dead_letter": {"en": "no dead-letter queue", "ja": "デッドレターキューなし"},
    # The name is never followed by ":": one ending like a key ("db-password") would hide what follows.
    "ev.secret": {
        "en": "Secret {name} (read by {named_by}) last changed {changed}{rotated}{rotation}",
        "ja": "シークレット {name}（参照元 {named_by}）の値の最終変更 {changed}{rotated}{rotation}",
    },
    "ev.secret.rotated": {"en": ", last rotated {value}", "ja": "、最終ローテーション {value}"},
    "ev.secret.rotation": {"en": ", rotates every {value} days", "ja": "、{value} 日ごとにローテーション"},
    "ev.secret.no_rotation": {"en": ", no rotation", "ja": "、ローテーションなし"},
    "ev.secret.deleted": {"en": " (scheduled for deletion)", "ja": "（削除予定）"},
    "ev.queue": {
        "en": "Queue {name}: {visible} messages waiting, {in_flight} in flight{role}",
        "ja": "キュー {name}: 待機 {visible} 件、処理中 {in_flight} 件{role}",
    },
    "ev.queue.dlq_of": {
        "en": "; the dead-letter queue of {sources}",
        "ja": "。{sources} のデッドレターキュー",
    },
    "ev.queue.named_dlq": {
        "en": "; named like a dead-letter queue, though no configuration sends failures to it",
        "ja": "。名前はデッドレターキューだが、失敗分を送る設定は見つからない",
    },
    # what sends its failures to a dead-letter queue, one phrase per kind of relationship
    "dl.sqs_redrive": {
        "en": "queue {source}, by its redrive policy",
        "ja": "キュー {source}（リドライブポリシー）",
    },
    "dl.lambda_dlq": {
        "en": "function {source}, by its DeadLetterConfig",
        "ja": "関数 {source}（DeadLetterConfig）",
    },
    "dl.lambda_on_failure": {
        "en": "function {source}, by its on-failure destination for asynchronous invocations",
        "ja": "関数 {source}（非同期呼び出しの失敗時送信先）",
    },
    "dl.esm_on_failure": {
        "en": "the event source mapping {source} → function {consumer}, by its on-failure destination",
        "ja": "イベントソースマッピング {source} → 関数 {consumer}（失敗時送信先）",
    },
    "dl.eventbridge_dlq": {
        "en": "EventBridge rule target {source} → {consumer}, by its dead-letter queue",
        "ja": "EventBridge ルールのターゲット {source} → {consumer}（デッドレターキュー）",
    },
    "dl.sns_redrive": {
        "en": "SNS topic {source}'s subscription → {consumer}, by its redrive policy",
        "ja": "SNS トピック {source} のサブスクリプション → {consumer}（リドライブポリシー）",
    },
    "dl.name_only": {"en": "{consumer}, by name only", "ja": "{consumer}（名前からの推測のみ）"},
    "dl.more": {"en": "{first} and {count} more", "ja": "{first} ほか {count} 件"},
    "ev.queue.dlq": {"en": "; failed messages go to {value}", "ja": "。失敗したメッセージの行き先は {value}"},
    "ev.dead_letter": {
        "en": "One message in {name} (read, not deleted): {classification} failure{matched}: {sample}",
        "ja": "{name} のメッセージ 1 件（削除せず読み取り）: {classification}な失敗{matched}: {sample}",
    },
    "ev.dead_letter.matched": {"en": ' ("{value}")', "ja": "（「{value}」）"},
    "failure.permanent": {"en": "permanent", "ja": "恒久的"},
    "failure.transient": {"en": "transient", "ja": "一時的"},
    "failure.unknown": {"en": "unclassified", "ja": "分類不能"},
    "ev.network": {
        "en": "VPC {vpc}, subnets side by side: {subnets}",
        "ja": "VPC {vpc} のサブネット比較: {subnets}",
    },
    "ev.subnet": {
        "en": "{id} ({zone}, {role}): default route {route}, endpoints {endpoints}, ACL {acl}",
        "ja": "{id}（{zone}、{role}）: デフォルトルート {route}、エンドポイント {endpoints}、ACL {acl}",
    },
    "ev.difference": {
        "en": "Subnet {subnet} ({zone}, {role}) differs in {aspect}: {value}; the others: {others}",
        "ja": "サブネット {subnet}（{zone}、{role}）の{aspect}が他と異なる: {value}。他のサブネット: {others}",
    },
    "aspect.default_route": {"en": "its default route", "ja": "デフォルトルート"},
    "aspect.acl_inbound_return": {
        "en": "its inbound ACL return rule (1024-65535)",
        "ja": "ACL の受信戻り通信ルール（1024-65535）",
    },
    "aspect.acl_outbound_return": {
        "en": "its outbound ACL return rule (1024-65535)",
        "ja": "ACL の送信戻り通信ルール（1024-65535）",
    },
    "aspect.endpoint": {"en": "its gateway endpoints", "ja": "ゲートウェイエンドポイント"},
    "aspect.blackhole": {"en": "blackhole routes", "ja": "ブラックホールルート"},
    # rule reasons (changes, errors, functions, queues, targets, network, capacity)
    "r.errors_up": {
        "en": "{metric} {count} (was {baseline})",
        "ja": "{metric} が {count}（直前 {baseline}）",
    },
    "r.trace_faults": {
        "en": "{fault_pct}% of traced requests failed",
        "ja": "トレースされたリクエストの {fault_pct}% が失敗",
    },
    "r.change_before": {
        "en": "{change} happened {minutes} min before the breach",
        "ja": "{change} が閾値超過の {minutes} 分前に行われた",
    },
    "r.new_after_change": {
        "en": '"{signature}" never logged before, {count}x since the change',
        "ja": "以前は無かった「{signature}」が変更後に {count} 件",
    },
    "r.after_change": {
        "en": "the symptoms began after it: {symptom}",
        "ja": "症状は変更の後に始まった: {symptom}",
    },
    "r.rolled_back": {
        "en": "an automatic rollback already happened",
        "ja": "自動ロールバックが既に実行された",
    },
    "r.exception_logs": {
        "en": '"{signature}" logged {count}x{new}',
        "ja": "「{signature}」が {count} 件記録{new}",
    },
    "r.no_change": {"en": "no deployment or change explains it", "ja": "デプロイや変更では説明できない"},
    "r.slow_query_logs": {
        "en": 'the database logged "{signature}" {count}x',
        "ja": "データベースが「{signature}」を {count} 件記録",
    },
    "r.timeouts": {
        "en": "{timeouts} of {invocations} invocations ran into the {limit} timeout",
        "ja": "{invocations} 件中 {timeouts} 件の実行がタイムアウト（{limit}）に達した",
    },
    "r.duration_at_limit": {
        "en": "Duration reached the {limit} timeout",
        "ja": "Duration がタイムアウト {limit} に到達",
    },
    "r.configured_timeout": {"en": "the function's timeout is {limit}", "ja": "関数のタイムアウトは {limit}"},
    "r.memory": {
        "en": "max memory used {used} of {size} MB; {oom} invocations ran out of memory",
        "ja": "最大使用メモリ {used} / {size} MB。メモリ不足の実行 {oom} 件",
    },
    "r.memory_ceiling": {"en": "memory use reached the configured size", "ja": "メモリ使用量が設定値に到達"},
    "r.oom_logs": {"en": '"{signature}" in the logs', "ja": "ログに「{signature}」"},
    "r.throttles": {
        "en": "{count} throttled invocations (was {baseline})",
        "ja": "スロットリング {count} 件（直前 {baseline}）",
    },
    "r.concurrency_flat": {
        "en": "ConcurrentExecutions flat at {limit}",
        "ja": "ConcurrentExecutions が {limit} で頭打ち",
    },
    "r.reserved": {"en": "reserved concurrency is {limit}", "ja": "予約同時実行数は {limit}"},
    "r.dlq_growing": {
        "en": "{queue} grew to {peak} messages (was {baseline}): the failures of {sources}",
        "ja": "{queue} が {peak} 件に増加（直前 {baseline}）: {sources} の失敗分",
    },
    "r.dlq_not_empty": {
        "en": "{queue} holds {count} messages: the failures of {sources}",
        "ja": "{queue} に {count} 件滞留: {sources} の失敗分",
    },
    "r.dlq_message": {
        "en": "a dead-lettered message shows a {kind} failure ({matched})",
        "ja": "デッドレターのメッセージは{kind}な失敗を示す（{matched}）",
    },
    "r.dlq_named_growing": {
        "en": "{queue} is named like a dead-letter queue{of}, though no configuration says so; it grew to {peak} messages (was {baseline})",
        "ja": "{queue} は名前からはデッドレターキュー{of}だが、設定では確認できない。{peak} 件に増加（直前 {baseline}）",
    },
    "r.dlq_named_not_empty": {
        "en": "{queue} is named like a dead-letter queue{of}, though no configuration says so; it holds {count} messages",
        "ja": "{queue} は名前からはデッドレターキュー{of}だが、設定では確認できない。{count} 件滞留",
    },
    "r.dlq_named_of": {"en": " (of {consumer}?)", "ja": "（{consumer} のもの？）"},
    "r.alarm_watches_dlq": {
        "en": "the alarm watches {queue}: what it counts are failures",
        "ja": "アラームは {queue} を監視しており、その値は失敗の件数",
    },
    "r.consumer_errors": {
        "en": 'the consumer logged "{signature}" {count}x in {log_group}',
        "ja": "コンシューマーが {log_group} に「{signature}」を {count} 件記録",
    },
    "r.backlog": {
        "en": "the oldest message in {queue} keeps aging",
        "ja": "{queue} の最古メッセージの滞留時間が伸びている",
    },
    "r.check_disagrees": {
        "en": "{count} targets answer the health check {path} with {codes}, but it expects {matcher}",
        "ja": "{count} 台のターゲットがヘルスチェック {path} に {codes} で応答しているが、期待値は {matcher}",
    },
    "r.serving_fine": {
        "en": "requests are served without more errors",
        "ja": "リクエスト自体はエラー増加なく処理されている",
    },
    "r.targets_failing": {
        "en": "{count} of {total} targets fail their health checks ({reasons})",
        "ja": "ターゲット {total} 台中 {count} 台がヘルスチェックに失敗（{reasons}）",
    },
    "r.elb_errors": {"en": "the load balancer returns more 5xx", "ja": "ロードバランサーの 5xx が増加"},
    "r.crash_logs": {"en": '"{signature}" in the logs', "ja": "ログに「{signature}」"},
    "r.subnet_differs": {
        "en": "subnet {subnet} ({zone}, {role}) differs in {aspect}: {value} where the others have {others}",
        "ja": "サブネット {subnet}（{zone}、{role}）の{aspect}が {value} で、他は {others}",
    },
    "r.endpoint_timeouts": {
        "en": 'calls to {service} time out: "{signature}"',
        "ja": "{service} への呼び出しがタイムアウト: 「{signature}」",
    },
    "r.zone_targets": {"en": "the failing targets are in {zone}", "ja": "異常なターゲットは {zone} にある"},
    "r.traffic_dropped": {"en": "{metric} dropped", "ja": "{metric} が減少"},
    "r.alarm_on_path": {
        "en": "the alarm watches traffic through it",
        "ja": "アラームはこの経路の通信を監視している",
    },
    "r.network_change": {"en": "{action} changed it in the window", "ja": "時間帯内に {action} で変更された"},
    "r.alarm_watches": {
        "en": "the alarm itself watches {metric}",
        "ja": "アラーム自体が {metric} を監視している",
    },
    "r.traffic_steady": {"en": "{metric} stayed at its usual level", "ja": "{metric} は通常どおり"},
    "r.surge": {
        "en": "{metric} {ratio}x its usual level (baseline and the same time a day earlier)",
        "ja": "{metric} が通常の {ratio} 倍（直前および前日同時刻と比較）",
    },
    "r.strained": {"en": "{metric} shows the strain", "ja": "{metric} に負荷の影響が出ている"},
    "r.threshold_normal": {
        "en": "the threshold {threshold} is inside the metric's normal range (it reached {baseline} before the incident)",
        "ja": "閾値 {threshold} がメトリクスの通常範囲内にある（障害前にも {baseline} に達していた）",
    },
    "r.flapping": {
        "en": "{transitions} state changes in the previous day",
        "ja": "直前 1 日で {transitions} 回の状態変化",
    },
    # rollback targets, per kind of change
    "rollback.previous": {"en": "the previous version", "ja": "前のバージョン"},
    "rollback.api_call": {"en": "revert {resource} to {previous}", "ja": "{resource} を {previous} に戻す"},
    "rollback.lambda_version": {
        "en": "point the function's alias back to version {previous}",
        "ja": "関数のエイリアスをバージョン {previous} に戻す",
    },
    "rollback.lambda_alias": {
        "en": "route alias {resource} fully to version {previous} (remove the weighted routing)",
        "ja": "エイリアス {resource} の重み付けルーティングを外し、全量をバージョン {previous} に戻す",
    },
    "rollback.codedeploy": {
        "en": "stop the deployment with rollback (aws deploy stop-deployment --auto-rollback-enabled), back to {previous}",
        "ja": "デプロイをロールバック付きで停止する（aws deploy stop-deployment --auto-rollback-enabled）。戻り先は {previous}",
    },
    "rollback.ecs_deployment": {
        "en": "update service {resource} to task definition {previous}",
        "ja": "サービス {resource} をタスク定義 {previous} に戻す",
    },
    "rollback.appconfig": {
        "en": "stop the AppConfig deployment or deploy configuration version {previous} again",
        "ja": "AppConfig のデプロイを停止するか、設定バージョン {previous} を再デプロイする",
    },
    "rollback.cloudformation": {
        "en": "roll stack {resource} back to its previous template",
        "ja": "スタック {resource} を前のテンプレートに戻す",
    },
    "rollback.secret": {
        "en": "move the AWSCURRENT label of secret {resource} back to the version labelled AWSPREVIOUS",
        "ja": "シークレット {resource} の AWSCURRENT ラベルを AWSPREVIOUS のバージョンに戻す",
    },
    "rollback.access_key": {
        "en": "reactivate the access key of {resource}, or give the service the new key",
        "ja": "{resource} のアクセスキーを再度有効にするか、新しいキーをサービスに設定する",
    },
    "rollback.iam_policy": {
        "en": "restore the permissions of {resource} as they were before the change",
        "ja": "{resource} の権限を変更前の状態に戻す",
    },
    "rollback.capacity": {
        "en": "restore the capacity or auto scaling of {resource} as it was before the change",
        "ja": "{resource} のキャパシティまたは Auto Scaling 設定を変更前に戻す",
    },
    "rollback.api_stage": {
        "en": "point stage {resource} back to its previous deployment (or restore its throttling and usage plan)",
        "ja": "ステージ {resource} を前のデプロイに戻す（またはスロットリングと使用量プランを戻す）",
    },
    "rollback.parameter_group": {
        "en": "restore the parameters of {resource} as they were before the change",
        "ja": "{resource} のパラメータを変更前の値に戻す",
    },
    # hypothesis summaries for the remaining categories
    "s.slow_database_query": {
        "en": "queries on {resource} got slower and hold requests up",
        "ja": "{resource} のクエリが遅くなり、リクエストを滞留させている",
    },
    "s.application_error": {
        "en": "the application ({resource}) throws a new or more frequent error",
        "ja": "アプリケーション（{resource}）で新しいエラー、または増加したエラーが発生している",
    },
    "s.deployment_regression": {
        "en": "{resource} just before the breach made things worse",
        "ja": "閾値超過直前の {resource} により劣化した",
    },
    "s.lambda_timeout": {
        "en": "{resource} invocations run into the function timeout",
        "ja": "{resource} の実行が関数のタイムアウトに達している",
    },
    "s.lambda_throttling": {
        "en": "{resource} invocations are throttled at its concurrency limit",
        "ja": "{resource} の実行が同時実行数の上限でスロットリングされている",
    },
    "s.lambda_memory_exhaustion": {
        "en": "{resource} runs out of memory",
        "ja": "{resource} がメモリ不足になっている",
    },
    "s.async_processing_failure": {
        "en": "messages fail processing and pile up in {resource}",
        "ja": "メッセージの処理が失敗し、{resource} に溜まっている",
    },
    "s.unhealthy_targets": {
        "en": "targets of {resource} fail their health checks for real",
        "ja": "{resource} のターゲットが実際に異常になっている",
    },
    "s.health_check_misconfiguration": {
        "en": "the health check of {resource} fails targets that work",
        "ja": "{resource} のヘルスチェック設定が、正常なターゲットを異常と判定している",
    },
    "s.network_misconfiguration": {
        "en": "subnet {resource} is configured differently from its siblings and breaks traffic through it",
        "ja": "サブネット {resource} の設定が他と異なり、そこを通る通信が失敗している",
    },
    "s.compute_saturation": {
        "en": "{resource} is at its CPU or memory ceiling with normal traffic",
        "ja": "通常のトラフィックで {resource} の CPU またはメモリが上限に達している",
    },
    "s.traffic_surge": {
        "en": "{resource} receives far more requests than usual",
        "ja": "{resource} へのリクエストが通常より大幅に増えている",
    },
    # what would confirm a hypothesis over a close rival
    "confirm.database_connection_exhaustion": {
        "en": "confirmed if DatabaseConnections sits at max_connections and pool-timeout errors precede the slowdown",
        "ja": "DatabaseConnections が max_connections に張り付き、プールのタイムアウトが遅延より先に出ていれば確定",
    },
    "confirm.database_resource_pressure": {
        "en": "confirmed if FreeableMemory or CPU on the database moved before the queries slowed",
        "ja": "クエリが遅くなる前に DB の FreeableMemory や CPU が悪化していれば確定",
    },
    "confirm.slow_database_query": {
        "en": "confirmed if one statement's time grew in Performance Insights or the slow query log",
        "ja": "Performance Insights やスロークエリログで特定の SQL の時間が伸びていれば確定",
    },
    "confirm.downstream_dependency_latency": {
        "en": "confirmed if the remote call's own latency (its metrics or status page) rose at the same time",
        "ja": "呼び出し先自身のレイテンシ（メトリクスやステータスページ）が同時に悪化していれば確定",
    },
    "confirm.application_code_latency": {
        "en": "confirmed if a profile of a slow request shows the time in the named code path",
        "ja": "遅いリクエストのプロファイルで該当コードパスに時間がかかっていれば確定",
    },
    "confirm.application_error": {
        "en": "confirmed if the failing requests all carry the new exception's stack trace",
        "ja": "失敗したリクエストがすべて新しい例外のスタックトレースを持っていれば確定",
    },
    "confirm.deployment_regression": {
        "en": "confirmed if the errors come only from the new version (or stop after rolling it back)",
        "ja": "エラーが新バージョンからのみ出ている（またはロールバックで止まる）なら確定",
    },
    "confirm.lambda_timeout": {
        "en": "confirmed if REPORT lines show Duration at the timeout for the failed invocations",
        "ja": "失敗した実行の REPORT 行で Duration がタイムアウト値に達していれば確定",
    },
    "confirm.lambda_throttling": {
        "en": "confirmed if Throttles rise while ConcurrentExecutions is flat at the limit",
        "ja": "ConcurrentExecutions が上限で横ばいの間に Throttles が増えていれば確定",
    },
    "confirm.lambda_memory_exhaustion": {
        "en": "confirmed if Max Memory Used equals Memory Size in the failed invocations' REPORT lines",
        "ja": "失敗した実行の REPORT 行で Max Memory Used が Memory Size と等しければ確定",
    },
    "confirm.async_processing_failure": {
        "en": "confirmed if the dead-lettered messages share one failure reason",
        "ja": "デッドレターのメッセージが同じ失敗理由を持っていれば確定",
    },
    "confirm.unhealthy_targets": {
        "en": "confirmed if the targets also fail a direct request (curl from the same subnet)",
        "ja": "同じサブネットからの直接リクエスト（curl）でもターゲットが失敗すれば確定",
    },
    "confirm.health_check_misconfiguration": {
        "en": "confirmed if the health check path answers the listed code to a direct request",
        "ja": "ヘルスチェックのパスに直接リクエストして、記載のコードが返れば確定",
    },
    "confirm.network_misconfiguration": {
        "en": "confirmed if VPC Flow Logs show REJECT (or no return traffic) for the subnet that differs",
        "ja": "異なるサブネットで VPC フローログに REJECT（または戻り通信の欠落）が出ていれば確定",
    },
    "confirm.compute_saturation": {
        "en": "confirmed if adding tasks or instances brings latency down at the same traffic",
        "ja": "同じトラフィックでタスクやインスタンスを増やしてレイテンシが下がれば確定",
    },
    "confirm.traffic_surge": {
        "en": "confirmed if the extra requests come from new clients or paths (ALB access logs), not retries",
        "ja": "増えたリクエストがリトライではなく新しいクライアントやパスからなら確定（ALB アクセスログ）",
    },
    "confirm.alarm_misconfiguration": {
        "en": "confirmed if the service's own error and latency metrics stayed normal",
        "ja": "サービス自身のエラーとレイテンシのメトリクスが通常どおりなら確定",
    },
    "confirm.unread": {
        "en": "not confirmed: {sources} could not be read; {confirm}",
        "ja": "{sources} を読み取れなかったため未確定。{confirm}",
    },
    "label.to_confirm": {"en": "to confirm", "ja": "確定するには"},
    "q.threshold_normal": {
        "en": "The threshold {threshold} is inside the metric's normal range: it fires without a problem",
        "ja": "閾値 {threshold} がメトリクスの通常範囲内にあり、問題が無くても発火する",
    },
    "q.missing_breaching": {
        "en": "Missing data is treated as breaching: the alarm fires when the metric stops, not when users suffer",
        "ja": "欠損データを閾値超過として扱っている: 利用者影響ではなくメトリクスの途絶で発火する",
    },
    "q.insufficient_data": {
        "en": "The metric is sparse and missing data is left as INSUFFICIENT_DATA: set TreatMissingData "
        "(notBreaching for error counts)",
        "ja": "メトリクスがまばらで欠損データが INSUFFICIENT_DATA のまま: TreatMissingData を設定する"
        "（エラー件数なら notBreaching）",
    },
    "q.average_latency": {
        "en": "The alarm averages {metric}: slow tail requests hide in the mean; alarm on p95 or p99",
        "ja": "{metric} の平均で監視しており、遅いリクエストが平均に埋もれる: p95 か p99 で監視する",
    },
    "joiner": {"en": "; ", "ja": "、"},
    # impact
    "i.none": {
        "en": "No user-facing impact found in the evidence",
        "ja": "根拠の中にユーザー影響は見つからない",
    },
    "i.false_positive": {
        "en": "False positive: the alarm fired without a matching problem in the service",
        "ja": "誤検知: サービス側に対応する問題が無いままアラームが発火した",
    },
    "fig.latency": {"en": "Latency ({metric})", "ja": "レイテンシ（{metric}）"},
    "fig.slow_share": {"en": "Requests slower than {threshold}", "ja": "{threshold} 超のリクエスト"},
    "fig.p95": {"en": "Trace p95", "ja": "トレース p95"},
    "fig.errors": {"en": "Server errors ({metric})", "ja": "サーバーエラー（{metric}）"},
    "fig.faults": {"en": "Failed traced requests", "ja": "失敗したトレース"},
    # gaps and alarm quality
    "gap.error": {"en": "{code}: {message}", "ja": "{code}: {message}"},
    "gap.no_data": {"en": "no data in the window", "ja": "時間帯にデータなし"},
    "gap.scope": {
        "en": "the scope could not be resolved ({code}: {message}); each source read what the event names",
        "ja": "調査範囲を解決できなかった（{code}: {message}）。各ソースはイベントに記載の対象のみ確認",
    },
    # notes: what a source left out or read only partly (values in {} are names, counts and AWS's words)
    "note.unavailable": {
        "en": "{part} unavailable ({error}: {message})",
        "ja": "{part} を取得できず（{error}: {message}）",
    },
    "note.out_of_time": {
        "en": "stopped early to stay within the time budget: {part} left out",
        "ja": "時間内に終えるため途中で打ち切り: {part} は未確認",
    },
    "note.alarm_not_found": {
        "en": "alarm {alarm} not found by DescribeAlarms (deleted or renamed?)",
        "ja": "DescribeAlarms でアラーム {alarm} が見つからない（削除または名前変更？）",
    },
    "note.appconfig_not_found": {
        "en": "AppConfig: {tag!r} (tag {key}) not found",
        "ja": "AppConfig: {tag!r}（タグ {key}）が見つからない",
    },
    "note.changes_capped": {
        "en": "kept the {kept} most relevant of {found} changes",
        "ja": "変更 {found} 件のうち関連の強い {kept} 件を記載",
    },
    "note.codedeploy_capped": {
        "en": "CodeDeploy: read {read} of the deployments in the window",
        "ja": "CodeDeploy: 時間帯のデプロイのうち {read} 件のみ確認",
    },
    "note.trail_capped": {
        "en": "CloudTrail: read the newest {events} write events only; changes before {oldest} UTC may be missing",
        "ja": "CloudTrail: 新しい書き込みイベント {events} 件のみ確認。{oldest} UTC より前の変更は漏れている可能性あり",
    },
    "note.versions_capped": {
        "en": "{function}: more than {versions} versions; the newest were not read",
        "ja": "{function}: バージョンが {versions} 件を超えるため最新分は未確認",
    },
    "note.filter_pattern_rejected": {
        "en": "a server-side filter pattern was rejected ({message})",
        "ja": "サーバー側のフィルターパターンが拒否された（{message}）",
    },
    "note.log_group_missing": {
        "en": "log group {group} does not exist",
        "ja": "ロググループ {group} が存在しない",
    },
    "note.listing_capped": {
        "en": "{part}: only the first {read} were searched",
        "ja": "{part}: 最初の {read} 件のみを検索",
    },
    "note.log_groups_capped": {
        "en": "searched the first {read} of {found} log groups",
        "ja": "ロググループ {found} 件のうち最初の {read} 件を検索",
    },
    "note.no_log_groups": {
        "en": "no log group in scope: tag the alarm with analyzer:log-groups",
        "ja": "対象のロググループが無い: アラームに analyzer:log-groups タグを付ける",
    },
    "note.logs_sampled": {
        "en": "{group}: more matching lines than one read holds; {read} of the {window} window's {minutes} minutes read (the minutes next to the breach in full), counts scaled to the whole window",
        "ja": "{group}: 一度に読める量を超える行があるため、{window} 時間帯 {minutes} 分のうち {read} 分を読んだ（ブリーチ直前は全量）。件数は時間帯全体に換算",
    },
    "note.report_lines_capped": {
        "en": "{group}: read the first {lines} REPORT lines of the window",
        "ja": "{group}: 時間帯の REPORT 行のうち最初の {lines} 行を確認",
    },
    "note.trace_filter_rejected": {
        "en": "filter {expression!r} rejected ({error}); read all traces instead",
        "ja": "フィルター {expression!r} が拒否された（{error}）。全トレースを対象にした",
    },
    "note.trace_summaries_capped": {
        "en": "more traces in the window than read: the first {read} summaries ({pages} pages); the count is a lower bound",
        "ja": "時間帯のトレースは読んだ数より多い: 最初の {read} 件（{pages} ページ）。件数は下限値",
    },
    "note.other_vpcs": {
        "en": "network of {vpc} described; {others} left out",
        "ja": "{vpc} のネットワークを確認。{others} は対象外",
    },
    "note.signatures_stopped": {
        "en": "stopped at the time limit after {lines} lines; later lines were not read",
        "ja": "時間制限のため {lines} 行で打ち切り。以降の行は未確認",
    },
    "note.signatures_ungrouped": {
        "en": "{lines} lines of more than {shapes} distinct shapes were not grouped",
        "ja": "{shapes} 種類を超える形の行 {lines} 行はグループ化していない",
    },
    "note.account_unreachable": {
        "en": "account {account} could not be read as {role} ({error}: {message}): deploy the member "
        "template there, or check its role's trust",
        "ja": "アカウント {account} を {role} として読めなかった（{error}: {message}）: メンバー用テンプレートを"
        "そのアカウントにデプロイするか、ロールの信頼関係を確認する",
    },
    "note.ecs_service_failure": {
        "en": "ECS service {service}: {reason}",
        "ja": "ECS サービス {service}: {reason}",
    },
    "note.api_not_found": {
        "en": "no REST API named {api} (GetRestApis): its stage was not read",
        "ja": "{api} という名前の REST API が無い（GetRestApis）: ステージは未確認",
    },
    "note.agent_config_unreadable": {
        "en": "the CloudWatch agent's configuration {parameter} is not JSON: its log groups are unknown",
        "ja": "CloudWatch エージェントの設定 {parameter} が JSON ではない: ロググループ不明",
    },
    "note.secrets_capped": {
        "en": "read {read} of the {found} secrets in scope",
        "ja": "対象のシークレット {found} 件のうち {read} 件を確認",
    },
    # the parts a note names: what could not be read
    "part.agent_config": {
        "en": "the CloudWatch agent's configuration",
        "ja": "CloudWatch エージェントの設定",
    },
    "part.api_account": {"en": "the account's API Gateway limit", "ja": "アカウントの API Gateway 上限"},
    "part.api_stage": {"en": "API stage {subject}", "ja": "API ステージ {subject}"},
    "part.cache": {"en": "cache {subject}", "ja": "キャッシュ {subject}"},
    "part.cache_events": {"en": "events of {subject}", "ja": "{subject} のイベント"},
    "part.cache_parameters": {"en": "parameters of {subject}", "ja": "{subject} のパラメータ"},
    "part.certificate": {"en": "certificate {subject}", "ja": "証明書 {subject}"},
    "part.cpu_credits": {"en": "CPU credit specifications", "ja": "CPU クレジット設定"},
    "part.file_system": {"en": "file system {subject}", "ja": "ファイルシステム {subject}"},
    "part.instance_status": {"en": "instance status checks", "ja": "インスタンスのステータスチェック"},
    "part.instances": {"en": "EC2 instances", "ja": "EC2 インスタンス"},
    "part.nat_gateways": {"en": "NAT gateways", "ja": "NAT ゲートウェイ"},
    "part.rest_apis": {"en": "REST APIs", "ja": "REST API"},
    "part.rule": {"en": "rule {subject}", "ja": "ルール {subject}"},
    "part.secret": {"en": "secret {subject}", "ja": "シークレット {subject}"},
    "part.state_machine": {"en": "state machine {subject}", "ja": "ステートマシン {subject}"},
    "part.stream": {"en": "stream {subject}", "ja": "ストリーム {subject}"},
    "part.table": {"en": "table {subject}", "ja": "テーブル {subject}"},
    "part.table_scaling": {"en": "table auto scaling", "ja": "テーブルの Auto Scaling"},
    "part.usage_plans": {"en": "usage plans", "ja": "使用量プラン"},
    "part.volumes": {"en": "EBS volumes", "ja": "EBS ボリューム"},
    "part.account_alias": {"en": "the account's alias", "ja": "アカウントのエイリアス"},
    "part.alarm_config": {"en": "the alarm's configuration", "ja": "アラームの設定"},
    "part.alarm_history": {"en": "alarm history", "ja": "アラーム履歴"},
    "part.alarm_tags": {"en": "alarm tags", "ja": "アラームのタグ"},
    "part.appconfig_applications": {"en": "AppConfig applications", "ja": "AppConfig アプリケーション"},
    "part.appconfig_deployments": {
        "en": "AppConfig deployments of {subject}",
        "ja": "{subject} の AppConfig デプロイ",
    },
    "part.appconfig_events": {"en": "AppConfig deployment events", "ja": "AppConfig デプロイのイベント"},
    "part.cloudtrail": {"en": "CloudTrail events", "ja": "CloudTrail イベント"},
    "part.codedeploy": {"en": "CodeDeploy deployments", "ja": "CodeDeploy のデプロイ"},
    "part.day_ago": {"en": "the same hours a day earlier", "ja": "前日同時刻の値"},
    "part.db_events": {"en": "events of {subject}", "ja": "{subject} のイベント"},
    "part.db_parameters": {"en": "parameters of {subject}", "ja": "{subject} のパラメータ"},
    "part.dead_letter_message": {"en": "a message of {subject}", "ja": "{subject} のメッセージ"},
    "part.dead_letters": {"en": "dead-letter relationships", "ja": "デッドレターの関係"},
    "part.dead_letter_sources": {
        "en": "the queues that redrive into {subject}",
        "ja": "{subject} へリドライブするキュー",
    },
    "part.ecs_services": {"en": "ECS services", "ja": "ECS サービス"},
    "part.event_source_mappings": {"en": "event source mappings", "ja": "イベントソースマッピング"},
    "part.invoke_configs": {
        "en": "asynchronous invocation settings of {subject}",
        "ja": "{subject} の非同期呼び出しの設定",
    },
    "part.lambda_functions": {"en": "Lambda functions", "ja": "Lambda 関数"},
    "part.rule_targets": {
        "en": "targets of EventBridge rule {subject}",
        "ja": "EventBridge ルール {subject} のターゲット",
    },
    "part.subscription": {"en": "SNS subscription {subject}", "ja": "SNS サブスクリプション {subject}"},
    "part.subscriptions": {
        "en": "subscriptions of SNS topic {subject}",
        "ja": "SNS トピック {subject} のサブスクリプション",
    },
    "part.function": {"en": "function {subject}", "ja": "関数 {subject}"},
    "part.lambda_versions": {
        "en": "Lambda versions and aliases of {subject}",
        "ja": "{subject} の Lambda バージョンとエイリアス",
    },
    "part.load_balancers": {"en": "load balancers", "ja": "ロードバランサー"},
    "part.log_groups": {"en": "log groups {subject}", "ja": "ロググループ {subject}"},
    "part.log_slices": {"en": "further minutes of {subject}", "ja": "{subject} の残りの時間帯"},
    "part.metric_lookup": {"en": "metric lookup", "ja": "メトリクスの存在確認"},
    "part.network": {"en": "the network", "ja": "ネットワーク"},
    "part.network_acls": {"en": "network ACLs", "ja": "ネットワーク ACL"},
    "part.older_trace_summaries": {"en": "older trace summaries", "ja": "古いトレース概要"},
    "part.older_trail_events": {"en": "older CloudTrail events", "ja": "古い CloudTrail イベント"},
    "part.queue": {"en": "queue {subject}", "ja": "キュー {subject}"},
    "part.rds_instances": {"en": "RDS instances", "ja": "RDS インスタンス"},
    "part.report_lines": {"en": "Lambda REPORT lines {subject}", "ja": "Lambda の REPORT 行 {subject}"},
    "part.reserved_concurrency": {
        "en": "reserved concurrency of {subject}",
        "ja": "{subject} の予約同時実行数",
    },
    "part.route_tables": {"en": "route tables", "ja": "ルートテーブル"},
    "part.security_groups": {"en": "security groups", "ja": "セキュリティグループ"},
    "part.similar_metrics": {"en": "similar metrics", "ja": "類似メトリクス"},
    "part.stack_events": {
        "en": "CloudFormation events of {subject}",
        "ja": "{subject} の CloudFormation イベント",
    },
    "part.subnets": {"en": "subnets", "ja": "サブネット"},
    "part.target_groups": {"en": "target groups", "ja": "ターゲットグループ"},
    "part.target_health": {"en": "target health of {subject}", "ja": "{subject} のターゲットヘルス"},
    "part.target_instances": {"en": "target instances", "ja": "ターゲットインスタンス"},
    "part.task_definition": {"en": "task definition {subject}", "ja": "タスク定義 {subject}"},
    "part.trace_discovery": {"en": "trace discovery", "ja": "トレースによる依存先の発見"},
    "part.trace_sample": {"en": "part of the trace sample", "ja": "トレースサンプルの一部"},
    "part.vpc_endpoints": {"en": "VPC endpoints", "ja": "VPC エンドポイント"},
    "q.no_runbook": {
        "en": "No runbook: add a URL to the description or the analyzer:runbook tag",
        "ja": "ランブックが無い: 説明文に URL を書くか analyzer:runbook タグを付ける",
    },
    "q.no_description": {"en": "The alarm has no description", "ja": "アラームに説明が無い"},
    "q.actions_disabled": {
        "en": "Alarm actions are disabled: nobody is notified by the alarm itself",
        "ja": "アラームアクションが無効: アラーム自体からは誰にも通知されない",
    },
    "q.flapping": {
        "en": "Flapping: {transitions} state changes in the previous day",
        "ja": "フラッピング: 直前 1 日で {transitions} 回状態が変化",
    },
    "q.metric_missing": {
        "en": "The alarm's dimensions match no metric, so it can never see real data",
        "ja": "アラームのディメンションに合うメトリクスが無く、実データを評価できない",
    },
    "q.dimension_form": {
        "en": "Dimension {name} should be in the form {expected}",
        "ja": "ディメンション {name} は {expected} の形式にする",
    },
    "checked.alarm": {"en": "alarm configuration", "ja": "アラーム設定"},
    "checked.metrics": {"en": "{count} metrics", "ja": "メトリクス {count} 件"},
    "checked.logs": {"en": "{count} log groups", "ja": "ロググループ {count} 件"},
    "checked.traces": {"en": "{count} traces", "ja": "トレース {count} 件"},
    # the platform's categories (rules/platform.py)
    "s.cache_pressure": {
        "en": "cache {resource} evicts, runs out of memory or CPU, or refuses commands, and its load falls on what is behind it",
        "ja": "キャッシュ {resource} が追い出し・メモリや CPU の不足・コマンド拒否を起こし、負荷が背後に流れている",
    },
    "s.storage_exhaustion": {
        "en": "{resource} is running out of storage space: writes fail",
        "ja": "{resource} のストレージ容量が尽きかけており、書き込みが失敗している",
    },
    "s.burst_credit_exhaustion": {
        "en": "{resource} spent its burst credits and is held at its baseline performance",
        "ja": "{resource} がバーストクレジットを使い切り、ベースライン性能に抑えられている",
    },
    "s.infrastructure_failure": {
        "en": "the platform under {resource} failed or was replaced (status checks, failover, reboot)",
        "ja": "{resource} の下の基盤が故障または交換された（ステータスチェック、フェイルオーバー、再起動）",
    },
    "confirm.cache_pressure": {
        "en": "confirmed if Evictions or DatabaseMemoryUsagePercentage rose before the misses and the slowdown",
        "ja": "キャッシュミスや遅延より先に Evictions や DatabaseMemoryUsagePercentage が上がっていれば確定",
    },
    "confirm.storage_exhaustion": {
        "en": "confirmed if free space reached zero when the write errors began (df, FreeStorageSpace)",
        "ja": "書き込みエラーの開始時に空き容量がゼロに達していれば確定（df、FreeStorageSpace）",
    },
    "confirm.burst_credit_exhaustion": {
        "en": "confirmed if the balance reached zero when CPU or I/O flattened at the baseline rate",
        "ja": "CPU や I/O がベースラインで頭打ちになった時点でクレジット残高がゼロなら確定",
    },
    "confirm.infrastructure_failure": {
        "en": "confirmed if the failover, reboot or failed status check precedes the first errors",
        "ja": "フェイルオーバー、再起動、ステータスチェックの失敗が最初のエラーより前なら確定",
    },
    "r.platform_event": {"en": "{resource} at {at}Z: {message}", "ja": "{resource}（{at}Z）: {message}"},
    "r.status_check": {"en": "{metric} failed on {resource}", "ja": "{resource} で {metric} が失敗"},
    "r.impaired": {
        "en": "EC2 reports {resource} impaired (system {system}, instance {instance})",
        "ja": "EC2 が {resource} を異常と報告（システム {system}、インスタンス {instance}）",
    },
    "r.scheduled_event": {
        "en": "AWS scheduled {code} for {resource}",
        "ja": "AWS が {resource} に {code} を予定している",
    },
    # NAT gateways, certificates, credentials
    "s.nat_gateway_exhaustion": {
        "en": "NAT gateway {resource} cannot open more outbound connections: calls to outside hosts fail",
        "ja": "NAT ゲートウェイ {resource} が新しい外向き接続を張れず、外部ホストへの呼び出しが失敗している",
    },
    "s.certificate_expiry": {
        "en": "the TLS certificate of {resource} has expired (or is about to): handshakes are refused",
        "ja": "{resource} の TLS 証明書が期限切れ（または間もなく期限切れ）で、ハンドシェイクが拒否されている",
    },
    "s.credentials_failure": {
        "en": "the credentials of {resource} are refused: a password, key, token or permission stopped working",
        "ja": "{resource} の認証情報が拒否されている: パスワード、キー、トークンまたは権限が使えなくなった",
    },
    "confirm.nat_gateway_exhaustion": {
        "en": "confirmed if ErrorPortAllocation rises with connections to few destinations (VPC Flow Logs)",
        "ja": "ErrorPortAllocation が増え、接続が少数の宛先に集中していれば確定（VPC フローログ）",
    },
    "confirm.certificate_expiry": {
        "en": "confirmed if openssl s_client against the endpoint shows a notAfter date in the past",
        "ja": "エンドポイントに openssl s_client で接続し、notAfter が過去の日付なら確定",
    },
    "confirm.credentials_failure": {
        "en": "confirmed if the credential the service holds differs from the current one (AWSCURRENT, active key)",
        "ja": "サービスが保持する認証情報が現行のもの（AWSCURRENT、有効なキー）と異なれば確定",
    },
    "r.nat_port_errors": {
        "en": "{gateway} failed to allocate a source port {count} times (ErrorPortAllocation)",
        "ja": "{gateway} で送信元ポートの割り当て失敗が {count} 回（ErrorPortAllocation）",
    },
    "r.nat_drops": {
        "en": "{gateway} dropped {count} packets, far more than usual",
        "ja": "{gateway} が {count} 個のパケットを破棄（通常より大幅に多い）",
    },
    "r.nat_connections": {
        "en": "its active connections are well above their usual level",
        "ja": "アクティブな接続数が通常より大幅に多い",
    },
    "r.connect_timeouts": {
        "en": 'connections to outside hosts time out before they open: "{signature}" ({count} times)',
        "ja": "外部ホストへの接続が確立前にタイムアウト: 「{signature}」（{count} 回）",
    },
    "r.certificate_expired": {
        "en": "certificate {name} has expired",
        "ja": "証明書 {name} の期限が切れている",
    },
    "r.certificate_unrenewed": {
        "en": "certificate {name} expires in {days} days and ACM will not renew it",
        "ja": "証明書 {name} は {days} 日後に期限切れになり、ACM による更新が行われない",
    },
    "r.tls_refused": {
        "en": 'TLS handshakes refuse the certificate: "{signature}" ({count} times)',
        "ja": "TLS ハンドシェイクで証明書が拒否されている: 「{signature}」（{count} 回）",
    },
    "r.credentials_refused": {
        "en": 'credentials refused: "{signature}" ({count} times)',
        "ja": "認証情報が拒否されている: 「{signature}」（{count} 回）",
    },
    "r.credential_change": {
        "en": "{action} changed {resource} {minutes} min before the first refusal",
        "ja": "最初の拒否の {minutes} 分前に {action} で {resource} が変更された",
    },
    "r.secret_changed": {
        "en": "secret {secret} got a new value just before the first refusal",
        "ja": "最初の拒否の直前にシークレット {secret} の値が変更された",
    },
    # throttling and lag (rules/lag.py)
    "s.dynamodb_throttling": {
        "en": "{resource} rejects reads or writes above its capacity (DynamoDB throttling)",
        "ja": "{resource} が容量を超えた読み書きを拒否している（DynamoDB スロットリング）",
    },
    "s.api_throttling": {
        "en": "requests through {resource} are refused by a rate limit",
        "ja": "{resource} 経由のリクエストがレート制限で拒否されている",
    },
    "s.consumer_lag": {
        "en": "the consumers of {resource} fall behind what is produced",
        "ja": "{resource} のコンシューマーが生成量に追いつかず遅れている",
    },
    "s.replication_lag": {
        "en": "the replica {resource} falls behind its source",
        "ja": "レプリカ {resource} がソースから遅れている",
    },
    "confirm.dynamodb_throttling": {
        "en": "confirmed if the throttle events come from one table or index and consumed capacity sits at "
        "its limit (or CloudWatch Contributor Insights shows one hot key)",
        "ja": "スロットリングが特定のテーブルやインデックスに集中し、消費容量が上限に張り付いている"
        "（または Contributor Insights で特定のホットキーが見える）なら確定",
    },
    "confirm.api_throttling": {
        "en": "confirmed if the refused requests answer 429 and the request rate sits at the stage's, "
        "usage plan's or account's limit",
        "ja": "拒否されたリクエストが 429 を返し、リクエストレートがステージ、使用量プラン、"
        "またはアカウントの上限に張り付いていれば確定",
    },
    "confirm.consumer_lag": {
        "en": "confirmed if records keep arriving at their usual rate while the consumer processes fewer "
        "per minute than arrive",
        "ja": "レコードが通常どおり届く一方で、コンシューマーの処理件数が到着件数を下回っていれば確定",
    },
    "confirm.replication_lag": {
        "en": "confirmed if the replica's lag keeps growing while the source's write load is steady or higher",
        "ja": "ソースの書き込み負荷が横ばいか増えている間に、レプリカの遅延が伸び続けていれば確定",
    },
    "r.counted": {
        "en": "{count} {metric} (was {baseline})",
        "ja": "{metric} が {count} 件（直前 {baseline}）",
    },
    "r.capacity_reached": {
        "en": "{metric} reached {consumed} per second of {limit} allowed",
        "ja": "{metric} が毎秒 {consumed} に達した（上限 {limit}）",
    },
    "r.scaling_capped": {
        "en": "auto scaling cannot add capacity: at its maximum of {max}, or suspended",
        "ja": "Auto Scaling がこれ以上容量を増やせない（上限 {max} に到達、または停止中）",
    },
    "r.table_throttle_logs": {
        "en": '"{signature}" logged {count} times: the table refused the calls',
        "ja": "ログに「{signature}」が {count} 件: テーブルが呼び出しを拒否している",
    },
    "r.rate_limit_reached": {
        "en": "{rate} requests per second against a rate limit of {limit}",
        "ja": "毎秒 {rate} リクエスト（レート上限 {limit}）",
    },
    "r.refusal_logs": {
        "en": '"{signature}" logged {count} times: calls refused by a rate limit',
        "ja": "ログに「{signature}」が {count} 件: レート制限で呼び出しが拒否されている",
    },
    "r.lag_grew": {
        "en": "{metric} reached {peak} (usually {baseline}) and stayed high for minutes",
        "ja": "{metric} が {peak} に達し（通常 {baseline}）、数分以上高いままだった",
    },
    "r.still_behind": {
        "en": "still {last} at the end of the window: not caught up",
        "ja": "期間の終わりでも {last}: 追いついていない",
    },
    "r.consumer_succeeds": {
        "en": "the consumer {function} does not fail more than before: it is slow, not broken",
        "ja": "コンシューマー {function} のエラーは増えていない: 壊れてはおらず遅いだけ",
    },
    "r.consumer_capped": {
        "en": "the consumer {function} runs flat at {limit} concurrent executions",
        "ja": "コンシューマー {function} の同時実行数が {limit} で頭打ち",
    },
    "r.consumer_slower": {
        "en": "each invocation of the consumer {function} takes {ratio} times as long",
        "ja": "コンシューマー {function} の 1 回の実行時間が {ratio} 倍になった",
    },
    "r.replica_of": {
        "en": "it is a read replica of {source}",
        "ja": "{source} のリードレプリカである",
    },
    "r.source_busy": {
        "en": "the source {source} works harder ({metric} up): more changes to replay",
        "ja": "ソース {source} の負荷が上がり（{metric} が増加）、適用すべき変更が増えた",
    },
}


def t(lang: Lang, key: str, **values: Any) -> str:
    """The message ``key`` in ``lang``, filled in."""
    return MESSAGES[key][lang].format(**values)


def title(category: str, lang: Lang) -> str:
    return CATEGORY_TITLES[category][lang]


# Metric units: how a raw CloudWatch value should be read.
_UNITS: dict[str, str] = {
    "TargetResponseTime": "s",
    "ReadLatency": "s",
    "WriteLatency": "s",
    "Duration": "ms",
    "IntegrationLatency": "ms",
    "SuccessfulRequestLatency": "ms",
    "FreeableMemory": "bytes",
    "SwapUsage": "bytes",
    "FreeStorageSpace": "bytes",
    "CPUUtilization": "%",
    "MemoryUtilization": "%",
    "ApproximateAgeOfOldestMessage": "s",
    "FreeLocalStorage": "bytes",
    "EngineCPUUtilization": "%",
    "DatabaseMemoryUsagePercentage": "%",
    "BurstBalance": "%",
    "PercentIOLimit": "%",
    "ReplicaLag": "s",
    "ReplicationLag": "s",
    "AuroraReplicaLagMaximum": "ms",
    "IteratorAge": "ms",
    "GetRecords.IteratorAgeMilliseconds": "ms",
    "ExecutionTime": "ms",
    "disk_used_percent": "%",
}


def unit_of(namespace: str, metric: str) -> str:
    if metric == "Latency":
        return "s" if namespace == "AWS/ELB" else "ms"
    return _UNITS.get(metric, "")


def number(value: float) -> str:
    if value == int(value) and abs(value) < 1e9:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def duration_ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def quantity(value: float | None, unit: str) -> str:
    """A metric value written for a human: 3.21 s, 450 MB, 87.5%, 1,204."""
    if value is None:
        return "-"
    if unit == "s":
        return duration_ms(value * 1000)
    if unit == "ms":
        return duration_ms(value)
    if unit == "bytes":
        for size, suffix in ((1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")):
            if abs(value) >= size:
                return (
                    f"{value / size:.1f} {suffix}"
                    if abs(value) < 10 * size
                    else f"{value / size:.0f} {suffix}"
                )
        return f"{value:.0f} B"
    if unit == "%":
        return f"{value:.1f}%"
    return number(value)


def clip(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def percent(fraction: float) -> str:
    return f"{fraction * 100:.0f}"


# --- delivery channels: the HTML page, Slack, GitHub issues and the recovery follow-up ------------

CHANNEL_MESSAGES: dict[str, dict[Lang, str]] = {
    "h.chart": {"en": "The alarm's metric", "ja": "アラームのメトリクス"},
    "h.latency_breakdown": {"en": "Where slow requests spend their time", "ja": "遅いリクエストの時間の内訳"},
    "h.error_signatures": {
        "en": "Error signatures, now and before",
        "ja": "エラーシグネチャ（障害時と直前）",
    },
    "label.console": {"en": "console", "ja": "コンソール"},
    "label.cited": {"en": "cited", "ja": "引用"},
    "label.incident_window": {"en": "incident", "ja": "障害時間帯"},
    "label.threshold": {"en": "threshold {value}", "ja": "しきい値 {value}"},
    "label.breach_start": {"en": "breach from {at}", "ja": "{at} から超過"},
    "label.no_datapoints": {
        "en": "No datapoints of the alarm's metric to draw",
        "ja": "描画できるアラームのメトリクスのデータポイントがない",
    },
    "label.segment": {"en": "Segment", "ja": "区間"},
    "label.per_request": {"en": "per slow request", "ja": "遅いリクエスト 1 件あたり"},
    "label.share": {"en": "share of the slow time", "ja": "遅延時間に占める割合"},
    "label.signature": {"en": "Signature", "ja": "シグネチャ"},
    "label.now": {"en": "now", "ja": "障害時"},
    "label.before_minutes": {"en": "{minutes} min before", "ja": "直前 {minutes} 分間"},
    "label.full_report": {
        "en": "Full report with charts: {url}",
        "ja": "グラフ付きの完全なレポート: {url}",
    },
    "label.open_report": {"en": "Full report", "ja": "完全なレポート"},
    "label.open_runbook": {"en": "Runbook", "ja": "ランブック"},
    "label.more": {
        "en": "… and {count} more in the full report",
        "ja": "…ほか {count} 件は完全なレポートに記載",
    },
    "label.truncated": {"en": "… (cut, see the full report)", "ja": "…（省略、完全なレポートを参照）"},
    "duration.minutes": {"en": "{minutes} min", "ja": "{minutes} 分"},
    "duration.hours": {"en": "{hours} h {minutes} min", "ja": "{hours} 時間 {minutes} 分"},
    "gh.again": {
        "en": "The alarm fired again at {at} UTC:",
        "ja": "アラームが {at} UTC に再び発火しました:",
    },
    "rec.subject": {"en": "[RECOVERED] {alarm}: {title}", "ja": "[復旧] {alarm}: {title}"},
    "rec.heading": {"en": "Recovered: {alarm}", "ja": "復旧: {alarm}"},
    "rec.time": {
        "en": "Back to OK after {duration} (ALARM at {alarm_at} UTC, OK at {ok_at} UTC)",
        "ja": "{duration}で OK に復帰（ALARM {alarm_at} UTC、OK {ok_at} UTC）",
    },
    "rec.incident": {
        "en": "Incident {incident_id}: {verdict}",
        "ja": "インシデント {incident_id}: {verdict}",
    },
    "rec.status.holds": {
        "en": "The hypothesis still holds: its evidence went away with the alarm",
        "ja": "仮説は引き続き妥当: アラームの復旧とともに根拠も消えた",
    },
    "rec.status.doubtful": {
        "en": "The hypothesis is in doubt: its evidence continues after the recovery, so the cause may still be there",
        "ja": "仮説に疑問あり: 復旧後も根拠が続いており、原因が残っている可能性がある",
    },
    "rec.status.unverified": {
        "en": "The hypothesis could not be re-checked: none of its evidence was found again",
        "ja": "仮説を再確認できなかった: 根拠をもう一度確認できなかった",
    },
    "rec.signature_stopped": {
        "en": '"{signature}" stopped: not logged in the {minutes} min before the recovery ({count}x during the incident)',
        "ja": "「{signature}」は停止: 復旧前 {minutes} 分間に記録なし（障害中は {count} 件）",
    },
    "rec.signature_continues": {
        "en": '"{signature}" continues: logged {now}x in the {minutes} min before the recovery ({count}x during the incident)',
        "ja": "「{signature}」は継続: 復旧前 {minutes} 分間に {now} 件（障害中は {count} 件）",
    },
    "rec.metric_normal": {
        "en": "{metric} back to {now} ({incident} during the incident, {baseline} before it)",
        "ja": "{metric} は {now} に回復（障害中 {incident}、障害前 {baseline}）",
    },
    "rec.metric_abnormal": {
        "en": "{metric} still at {now} ({incident} during the incident, {baseline} before it)",
        "ja": "{metric} はまだ {now}（障害中 {incident}、障害前 {baseline}）",
    },
    "rec.closed": {
        "en": "Closed by Alarm Analyzer: the alarm is back to OK.",
        "ja": "Alarm Analyzer がクローズ: アラームは OK に戻りました。",
    },
}

MESSAGES |= CHANNEL_MESSAGES
