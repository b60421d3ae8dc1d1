"""What to do, per root-cause category: actions now, the permanent fix, and runbook steps.

``{resource}`` is replaced by the resource the hypothesis names; other placeholders (``{change}``,
``{rollback}``) by the details the caller passes, or by a neutral phrase in the report's language
when it has none. Runbooks follow one form: a three-minute triage, recovery steps with the safest
first, then the permanent fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypedDict

from .i18n import Lang
from .report import Actions, Runbook


class Play(TypedDict):
    short_term: list[str]
    long_term: list[str]
    triage: list[str]
    mitigate: list[str]
    fix: list[str]


PLAYBOOK: dict[str, dict[Lang, Play]] = {
    "database_connection_exhaustion": {
        "en": {
            "short_term": [
                "Compare DatabaseConnections on {resource} with max_connections and with pool size x running tasks.",
                "Make requests fail fast instead of queueing: lower the service's concurrency or shed load.",
                "If {resource} has CPU and memory headroom, raise the pool size modestly and redeploy, keeping "
                "tasks x pool size below max_connections.",
            ],
            "long_term": [
                "Put RDS Proxy (or PgBouncer) between the service and {resource} to multiplex connections.",
                "Find connections held across slow work (transactions spanning remote calls, unreleased "
                "connections) and set the pool's acquire timeout below the load balancer's timeout.",
                "Alarm on DatabaseConnections at 80% of max_connections so saturation pages before exhaustion.",
            ],
            "triage": [
                "DatabaseConnections on {resource}: is it flat at a ceiling?",
                "Service logs: count pool/connection timeout errors in the last 15 minutes.",
                "One slow trace: is the time spent waiting before or inside the SQL call?",
            ],
            "mitigate": [
                "Shed load or lower concurrency so requests fail fast.",
                "Recycle tasks that leak connections, one at a time.",
                "Raise the pool size only while {resource} has headroom.",
            ],
            "fix": [
                "Introduce a connection proxy and size pools from max_connections.",
                "Fix leaks and long transactions; add acquire timeouts.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} の DatabaseConnections を max_connections、およびプールサイズ x 稼働タスク数と比較する。",
                "リクエストを滞留させず即座に失敗させる: サービスの同時実行数を下げるか負荷を制限する。",
                "{resource} の CPU・メモリに余裕があれば、タスク数 x プールサイズが max_connections を超えない範囲で"
                "プールサイズを少し増やして再デプロイする。",
            ],
            "long_term": [
                "サービスと {resource} の間に RDS Proxy（または PgBouncer）を置き、接続を多重化する。",
                "遅い処理の間に保持される接続（外部呼び出しをまたぐトランザクション、解放漏れ）を洗い出し、"
                "プールの取得タイムアウトをロードバランサーのタイムアウトより短くする。",
                "DatabaseConnections が max_connections の 80% でアラームを出し、枯渇前に気づけるようにする。",
            ],
            "triage": [
                "{resource} の DatabaseConnections が上限で横ばいになっていないか。",
                "サービスのログで直近 15 分のプール/接続タイムアウトエラー件数を数える。",
                "遅いトレースを 1 件開き、SQL の前（接続待ち）か SQL の中で時間を使っているかを見る。",
            ],
            "mitigate": [
                "負荷を制限するか同時実行数を下げ、即座に失敗させる。",
                "接続をリークしているタスクを 1 つずつ入れ替える。",
                "プールサイズの引き上げは {resource} に余裕がある間だけにする。",
            ],
            "fix": [
                "接続プロキシを導入し、max_connections からプールサイズを決める。",
                "接続リークと長いトランザクションを直し、取得タイムアウトを設定する。",
            ],
        },
    },
    "database_resource_pressure": {
        "en": {
            "short_term": [
                "Find the heaviest queries on {resource} now (Performance Insights top SQL or pg_stat_statements) "
                "and cancel runaway ones.",
                "Pause batch jobs and reports that hit {resource}.",
                "If memory keeps falling and swap keeps growing, fail over or reboot {resource} in a quiet moment "
                "(a Multi-AZ failover is the gentler restart).",
            ],
            "long_term": [
                "Add indexes for the queries that scan whole tables or sort into temporary files; tune work_mem "
                "for those queries rather than globally.",
                "Move {resource} to a larger instance class if the working set no longer fits in memory.",
                "Alarm on SwapUsage and on the FreeableMemory trend, with a runbook link.",
            ],
            "triage": [
                "FreeableMemory, SwapUsage and CPUUtilization of {resource}: which one moved first?",
                "Database logs: temporary files, out-of-memory or slow-query lines in the window.",
                "Top SQL by load in the same minutes.",
            ],
            "mitigate": [
                "Cancel runaway queries and pause batch work.",
                "Fail over or reboot {resource} if memory does not recover.",
            ],
            "fix": [
                "Fix the query plans (indexes, smaller sorts), then right-size the instance.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} で今いちばん重いクエリを特定し（Performance Insights の Top SQL か pg_stat_statements）、"
                "暴走しているものをキャンセルする。",
                "{resource} に負荷をかけるバッチやレポート処理を一時停止する。",
                "メモリの減少とスワップの増加が続くなら、落ち着いたタイミングで {resource} をフェイルオーバーまたは"
                "再起動する（Multi-AZ のフェイルオーバーの方が影響が小さい）。",
            ],
            "long_term": [
                "フルスキャンや一時ファイルへのソートをしているクエリにインデックスを追加し、work_mem は全体ではなく"
                "該当クエリ単位で調整する。",
                "ワーキングセットがメモリに収まらないなら {resource} をより大きいインスタンスクラスにする。",
                "SwapUsage と FreeableMemory の傾向にアラームを設定し、ランブックをリンクする。",
            ],
            "triage": [
                "{resource} の FreeableMemory・SwapUsage・CPUUtilization のどれが最初に動いたか。",
                "DB ログに一時ファイル・メモリ不足・スロークエリの行が出ていないか。",
                "同じ時間帯の負荷上位の SQL。",
            ],
            "mitigate": [
                "暴走クエリをキャンセルし、バッチ処理を止める。",
                "メモリが戻らなければ {resource} をフェイルオーバーまたは再起動する。",
            ],
            "fix": ["クエリプランを直し（インデックス、ソートの縮小）、その上でインスタンスサイズを見直す。"],
        },
    },
    "slow_database_query": {
        "en": {
            "short_term": [
                "Find the queries on {resource} whose latency rose (Performance Insights top SQL, "
                "mean_exec_time in pg_stat_statements, or the slow query log) and compare them with the "
                "same time yesterday.",
                "Cancel runaway or blocked queries (pg_cancel_backend, or KILL QUERY on MySQL) and end the "
                "session that holds the blocking lock.",
                "Cap how long a query may run: set statement_timeout (max_execution_time on MySQL) for the "
                "application's database user so slow queries fail fast instead of piling up.",
            ],
            "long_term": [
                "Run EXPLAIN (ANALYZE, BUFFERS) on the slow query and add the missing index, or rewrite the "
                "query so the plan stops scanning the whole table.",
                "Keep statistics fresh on growing tables (ANALYZE, autovacuum thresholds) so the planner "
                "does not switch to a bad plan, and check the plans of critical queries in tests.",
                "Keep transactions short and take locks in a consistent order to avoid lock waits; split "
                "large updates into batches.",
                "Alarm on per-query latency (Performance Insights DBLoad by SQL, or p95 of the repository "
                "call), not on instance CPU alone.",
            ],
            "triage": [
                "Top SQL by load on {resource} in the window: is it one query (or a few) that got slower?",
                "Wait events in Performance Insights: IO, locks (Lock:transactionid, Lock:tuple) or CPU?",
                "Rule out a resource shortage: are CPUUtilization, FreeableMemory and DatabaseConnections "
                "of {resource} at their usual level?",
            ],
            "mitigate": [
                "Cancel runaway queries and end the session that holds the blocking lock.",
                "Pause batch jobs and reports that run the same query.",
                "Set a statement timeout so slow queries fail fast.",
                "If an index is clearly missing, create it with CREATE INDEX CONCURRENTLY (PostgreSQL; does "
                "not block writes).",
            ],
            "fix": [
                "Fix the plan with EXPLAIN: add the index, rewrite the query, refresh statistics.",
                "Add a test or review for the query and an alarm on its latency.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} で遅くなったクエリを特定し（Performance Insights の Top SQL、pg_stat_statements "
                "の mean_exec_time、またはスロークエリログ）、前日の同じ時間帯と比べる。",
                "暴走しているクエリやブロックされているクエリをキャンセルし（pg_cancel_backend、MySQL なら "
                "KILL QUERY）、ロックを握っているセッションを終了させる。",
                "クエリの実行時間に上限を設ける: アプリケーションの DB ユーザーに statement_timeout（MySQL "
                "なら max_execution_time）を設定し、遅いクエリが滞留せず即座に失敗するようにする。",
            ],
            "long_term": [
                "遅いクエリに EXPLAIN (ANALYZE, BUFFERS) を実行し、足りないインデックスを追加するか、"
                "全件スキャンしないようクエリを書き直す。",
                "増え続けるテーブルの統計情報を新しく保ち（ANALYZE、autovacuum のしきい値）、"
                "プランナーが悪いプランに切り替わらないようにする。重要なクエリのプランはテストで確認する。",
                "トランザクションを短くし、ロックを取る順序を揃えてロック待ちを防ぐ。"
                "大量の更新はバッチに分ける。",
                "インスタンスの CPU だけでなく、クエリ単位のレイテンシ（Performance Insights の SQL 別 "
                "DBLoad、またはリポジトリ呼び出しの p95）にアラームを設定する。",
            ],
            "triage": [
                "障害時間帯の {resource} の負荷上位 SQL: 遅くなったのは特定のクエリ（1〜数本）か。",
                "Performance Insights の待機イベント: IO、ロック（Lock:transactionid、Lock:tuple）、CPU "
                "のどれか。",
                "リソース不足ではないことを確かめる: {resource} の "
                "CPUUtilization・FreeableMemory・DatabaseConnections は普段どおりか。",
            ],
            "mitigate": [
                "暴走クエリをキャンセルし、ロックを握っているセッションを終了させる。",
                "同じクエリを実行するバッチやレポートを一時停止する。",
                "statement_timeout を設定し、遅いクエリを即座に失敗させる。",
                "インデックスが明らかに欠けているなら、CREATE INDEX CONCURRENTLY で作成する（PostgreSQL。"
                "書き込みをブロックしない）。",
            ],
            "fix": [
                "EXPLAIN でプランを直す: インデックスの追加、クエリの書き直し、統計情報の更新。",
                "そのクエリのテストかレビューを追加し、レイテンシにアラームを設定する。",
            ],
        },
    },
    "downstream_dependency_latency": {
        "en": {
            "short_term": [
                "Check the status and recent changes of {resource}.",
                "Shorten the client timeout for {resource} and retry only idempotent calls, with backoff.",
                "If a circuit breaker or feature flag exists for {resource}, open it and degrade gracefully "
                "(cached or partial results).",
            ],
            "long_term": [
                "Give every call to {resource} explicit connect/read timeouts and a circuit breaker.",
                "Call {resource} asynchronously, or cache its responses where the contract allows.",
                "Agree a latency objective with the owner of {resource} and alarm on it separately.",
            ],
            "triage": [
                "The slowest trace: how long did the call to {resource} take?",
                "Is {resource} slow for every caller or only from this service (region, network path)?",
                "Timeout or retry errors for {resource} in the service logs.",
            ],
            "mitigate": [
                "Fail fast: shorter timeouts, no retries on non-idempotent calls.",
                "Open the circuit breaker or switch to a fallback.",
            ],
            "fix": ["Timeouts, circuit breaker and caching for {resource}; an agreed SLO."],
        },
        "ja": {
            "short_term": [
                "{resource} の稼働状況と直近の変更を確認する。",
                "{resource} へのクライアントタイムアウトを短くし、リトライは冪等な呼び出しだけ、バックオフ付きで行う。",
                "{resource} 用のサーキットブレーカーや機能フラグがあれば開き、縮退運転する（キャッシュや部分的な結果）。",
            ],
            "long_term": [
                "{resource} へのすべての呼び出しに接続/読み取りタイムアウトとサーキットブレーカーを設定する。",
                "契約上可能なら {resource} を非同期で呼ぶか、応答をキャッシュする。",
                "{resource} の提供者とレイテンシ目標を合意し、個別にアラームを設定する。",
            ],
            "triage": [
                "最も遅いトレースで {resource} への呼び出しに何秒かかったか。",
                "{resource} はすべての呼び出し元で遅いのか、このサービスからだけか（リージョン、経路）。",
                "サービスのログに {resource} のタイムアウトやリトライのエラーが出ていないか。",
            ],
            "mitigate": [
                "タイムアウトを短くし、冪等でない呼び出しはリトライしない。",
                "サーキットブレーカーを開くかフォールバックに切り替える。",
            ],
            "fix": ["{resource} に対するタイムアウト・サーキットブレーカー・キャッシュ、および SLO の合意。"],
        },
    },
    "application_code_latency": {
        "en": {
            "short_term": [
                "Open the slowest sample trace and look at {resource}: which code path is slow?",
                "If a deployment started the slowdown, roll it back.",
                "Scale out the service while the code is fixed (helps only if the slow path is CPU-bound).",
            ],
            "long_term": [
                "Profile {resource} with production-like data and fix the hot path.",
                "Move heavy work (reports, documents, image processing) off the request path into a queue.",
                "Add a per-endpoint latency objective and a performance test for this path.",
            ],
            "triage": [
                "The slowest trace: which subsegment of {resource} takes the time?",
                "Did a deployment or a configuration change land just before?",
                "CPU and memory of the service's tasks in the same minutes.",
            ],
            "mitigate": ["Roll back a suspect deployment.", "Scale out while investigating."],
            "fix": ["Profile and fix the hot path; move heavy work off the request path."],
        },
        "ja": {
            "short_term": [
                "最も遅いサンプルトレースを開き {resource} を見る: どのコードパスが遅いか。",
                "デプロイが遅延の始まりなら、ロールバックする。",
                "修正までサービスをスケールアウトする（遅い処理が CPU バウンドの場合のみ有効）。",
            ],
            "long_term": [
                "本番に近いデータで {resource} をプロファイルし、ホットパスを直す。",
                "重い処理（レポート、ドキュメント生成、画像処理）をリクエスト経路からキューへ移す。",
                "エンドポイントごとのレイテンシ目標と、この経路の性能テストを追加する。",
            ],
            "triage": [
                "最も遅いトレースで、{resource} のどのサブセグメントが時間を使っているか。",
                "直前にデプロイや設定変更がなかったか。",
                "同じ時間帯のサービスのタスクの CPU とメモリ。",
            ],
            "mitigate": ["疑わしいデプロイをロールバックする。", "調査の間はスケールアウトする。"],
            "fix": ["プロファイルしてホットパスを直し、重い処理をリクエスト経路から外す。"],
        },
    },
    "application_error": {
        "en": {
            "short_term": [
                "Group the errors of {resource} by message in CloudWatch Logs Insights and read the new or "
                "most frequent exception with its stack trace.",
                "Find what the failing requests have in common (endpoint, input, tenant, client version) "
                "and reproduce one of them.",
                "If one endpoint, input or feature causes it, turn that feature off with its flag or reject "
                "the bad input with a clear 4xx until the fix ships.",
                "Make sure no deployment or configuration change explains it; if one does, treat it as a "
                "deployment regression and roll back.",
            ],
            "long_term": [
                "Fix the code path: validate input at the boundary, handle the missing or null case, and "
                "answer bad requests with a 4xx instead of a 5xx.",
                "Add a test built from the failing request.",
                "Alarm on the error rate (5xx / requests, Lambda Errors / Invocations) rather than the raw "
                "count, and log a request ID with every exception.",
            ],
            "triage": [
                "Errors over time (5xx count, Lambda Errors): when did they start, and does the start match "
                "a deployment?",
                "Top exception messages in the logs of {resource}: which one is new or grew?",
                "One failing trace or request: which input triggers the error?",
            ],
            "mitigate": [
                "Turn off the failing feature with its flag, or reject the bad input with a 4xx.",
                "If the trigger is isolated (one tenant, one record), block or correct that data.",
                "Ship a small hotfix once the failing case is reproduced.",
            ],
            "fix": [
                "Fix and test the unhandled case; validate input at the boundary.",
                "Alarm on the error rate and make every exception carry a request ID.",
            ],
        },
        "ja": {
            "short_term": [
                "CloudWatch Logs Insights で {resource} のエラーをメッセージ別に集計し、"
                "新しく出始めた例外や最も多い例外をスタックトレースごと読む。",
                "失敗したリクエストの共通点（エンドポイント、入力、テナント、クライアントのバージョン）"
                "を探し、1 件を再現する。",
                "特定のエンドポイント・入力・機能が原因なら、"
                "修正をリリースするまでその機能をフラグで止めるか、不正な入力を明確な 4xx で拒否する。",
                "デプロイや設定変更で説明できないことを確かめる。"
                "説明できるならデプロイによる劣化として扱い、ロールバックする。",
            ],
            "long_term": [
                "コードを直す: 入力を境界で検証し、値の欠損や null のケースを扱い、不正なリクエストには 5xx "
                "ではなく 4xx を返す。",
                "失敗したリクエストをもとにテストを追加する。",
                "件数ではなくエラー率（5xx / リクエスト数、Lambda の Errors / Invocations）"
                "にアラームを設定し、すべての例外でリクエスト ID をログに出す。",
            ],
            "triage": [
                "エラーの推移（5xx 件数、Lambda の Errors）: いつ始まったか、"
                "開始時刻はデプロイと一致するか。",
                "{resource} のログで多い例外メッセージ: 新しく出たもの、増えたものはどれか。",
                "失敗したトレースかリクエストを 1 件開き、どの入力でエラーになるかを見る。",
            ],
            "mitigate": [
                "失敗している機能をフラグで止めるか、不正な入力を 4xx で拒否する。",
                "原因が局所的（1 テナント、1 レコード）なら、そのデータを遮断するか修正する。",
                "失敗ケースを再現できたら、小さな修正をホットフィックスとしてリリースする。",
            ],
            "fix": [
                "扱われていなかったケースを直してテストし、入力を境界で検証する。",
                "エラー率にアラームを設定し、すべての例外にリクエスト ID を持たせる。",
            ],
        },
    },
    "deployment_regression": {
        "en": {
            "short_term": [
                "Roll back {change}: {rollback}.",
                "Confirm that the alarm's metric and the error rate recover within one or two evaluation "
                "periods after the rollback.",
                "Hold further rollouts of {resource} (pause the pipeline, stop automatic deployments) until "
                "the cause is understood.",
            ],
            "long_term": [
                "Deploy with canary or linear traffic shifting (CodeDeploy, Lambda alias weights, ECS "
                "blue/green) and CloudWatch alarms that roll back automatically.",
                "Put risky behaviour behind feature flags (AppConfig) so it can be switched off without a "
                "deployment.",
                "Add a bake time after each step, watching errors and latency, before the rollout continues.",
                "Write a test that reproduces this failure and keep it in the pipeline.",
            ],
            "triage": [
                "What changed just before the breach: {change}?",
                "Did the symptoms start after the change reached traffic (deployment start, alias shift, "
                "flag update), and not before?",
                "Compare errors and latency of the new and the old version (Lambda metrics by "
                "ExecutedVersion, ECS by task definition revision).",
            ],
            "mitigate": [
                "Roll back {change}: {rollback}.",
                "If a rollback is not possible, switch the new behaviour off with its feature flag, or "
                "scale the previous version back up.",
                "Pause the pipeline so the change is not deployed again.",
            ],
            "fix": [
                "Find and fix the defect, with a test that reproduces it.",
                "Deploy gradually (canary or linear) with alarm-based automatic rollback and a bake time.",
            ],
        },
        "ja": {
            "short_term": [
                "{change} をロールバックする: {rollback}。",
                "ロールバック後 1〜2 評価期間のうちに、"
                "アラームのメトリクスとエラー率が回復したことを確認する。",
                "原因がわかるまで {resource} の以降のリリースを止める（パイプラインを一時停止し、"
                "自動デプロイを保留する）。",
            ],
            "long_term": [
                "カナリアまたはリニアでトラフィックを段階的に移し（CodeDeploy、Lambda エイリアスの重み付け、"
                "ECS のブルー/グリーン）、CloudWatch アラームで自動ロールバックする。",
                "リスクのある振る舞いは機能フラグ（AppConfig）の裏に置き、"
                "デプロイせずに無効化できるようにする。",
                "各段階の後にベイク時間を設け、エラーとレイテンシを確認してから次の段階に進む。",
                "今回の障害を再現するテストを書き、パイプラインに組み込む。",
            ],
            "triage": [
                "しきい値を超える直前に何が変わったか: {change}。",
                "症状は変更がトラフィックに乗った後（デプロイ開始、エイリアスの切り替え、フラグの更新）"
                "に始まったか。それより前からではないか。",
                "新旧バージョンのエラーとレイテンシを比べる（Lambda は ExecutedVersion 別、ECS "
                "はタスク定義のリビジョン別のメトリクス）。",
            ],
            "mitigate": [
                "{change} をロールバックする: {rollback}。",
                "ロールバックできない場合は、新しい振る舞いを機能フラグで止めるか、"
                "前のバージョンを再びスケールアップする。",
                "同じ変更が再びデプロイされないよう、パイプラインを一時停止する。",
            ],
            "fix": [
                "不具合を特定して直し、それを再現するテストを付ける。",
                "アラーム連動の自動ロールバックとベイク時間を備えた段階的デプロイ（カナリアまたはリニア）"
                "にする。",
            ],
        },
    },
    "lambda_timeout": {
        "en": {
            "short_term": [
                "If {resource} was deployed or its configuration changed in the last 60 minutes, roll it "
                "back (shift the alias back to the previous version).",
                "In the REPORT lines, compare Duration with the timeout and look at Max Memory Used: if "
                "memory is at the memory size, raise MemorySize (it also adds CPU).",
                "Check Throttles and the latency of the calls {resource} makes (X-Ray subsegments): a slow "
                "database or API is the usual cause.",
                "Raise the timeout only as a stopgap and keep it consistent with the caller: API Gateway "
                "stops waiting at 29 s, and an SQS source needs a visibility timeout of at least 6x the "
                "function timeout.",
            ],
            "long_term": [
                "Give every downstream call of {resource} a timeout shorter than the remaining time "
                "(context.get_remaining_time_in_millis), and give up cleanly when it runs out.",
                "Split heavy work (PDF generation, large batches) or move it to asynchronous steps (SQS, "
                "Step Functions), and process batches in parallel.",
                "Review how {resource} reaches resources in the VPC (NAT gateway, VPC endpoints, RDS Proxy) "
                "so that connecting does not use up the timeout.",
                "Alarm on Duration p99 at 80% of the timeout so it pages before invocations time out.",
            ],
            "triage": [
                "Any deployment, alias shift or configuration change of {resource} in the last 60 minutes?",
                "REPORT lines: is Duration at the timeout, and is Max Memory Used at the memory size?",
                "Throttles, and the slowest downstream call in a timed-out trace.",
            ],
            "mitigate": [
                "Roll back a recent deployment of {resource}.",
                "Raise MemorySize (for example from 1024 MB to 2048 MB): in Lambda more memory also means "
                "more CPU.",
                "As a stopgap, raise the timeout within the caller's timeout, and open a ticket to find the "
                "slow step.",
            ],
            "fix": [
                "Timeouts on downstream calls; heavy work made asynchronous or parallel.",
                "A consistent chain of timeouts: caller > function > downstream calls, and an SQS "
                "visibility timeout of at least 6x the function timeout.",
            ],
        },
        "ja": {
            "short_term": [
                "直近 60 分以内に {resource} のデプロイや設定変更があれば、"
                "ロールバックする（エイリアスを前のバージョンに戻す）。",
                "REPORT 行で Duration をタイムアウト値と比べ、Max Memory Used を見る。"
                "メモリサイズに張り付いていれば MemorySize を上げる（CPU も増える）。",
                "Throttles と、{resource} が呼び出す先のレイテンシ（X-Ray のサブセグメント）を確認する。"
                "遅い DB や API が原因であることが多い。",
                "タイムアウト値の延長はあくまで延命措置とし、呼び出し元と整合させる: API Gateway は 29 "
                "秒で待つのをやめ、SQS をソースにする場合は可視性タイムアウトを関数のタイムアウトの 6 "
                "倍以上にする。",
            ],
            "long_term": [
                "{resource} の下流呼び出しすべてに、残りの実行時間（context.get_remaining_time_in_millis）"
                "より短いタイムアウトを付け、時間切れなら処理を打ち切る。",
                "重い処理（PDF 生成、大きなバッチ）は分割するか非同期のステップ（SQS、Step Functions）"
                "に移し、バッチは並列に処理する。",
                "{resource} から VPC 内のリソースへの経路（NAT Gateway、VPC エンドポイント、RDS Proxy）"
                "を見直し、接続の確立でタイムアウトを使い切らないようにする。",
                "Duration の p99 がタイムアウト値の 80% に達したらアラームを出し、"
                "タイムアウトが起きる前に気づけるようにする。",
            ],
            "triage": [
                "直近 60 分以内に {resource} のデプロイ、エイリアスの切り替え、設定変更はあったか。",
                "REPORT 行: Duration はタイムアウト値に達しているか、Max Memory Used "
                "はメモリサイズに達しているか。",
                "Throttles の有無と、タイムアウトしたトレースで最も遅い下流呼び出し。",
            ],
            "mitigate": [
                "{resource} の直近のデプロイをロールバックする。",
                "MemorySize を上げる（例: 1024 MB → 2048 MB）。Lambda ではメモリを増やすと CPU も増える。",
                "延命措置として、呼び出し元のタイムアウトの範囲内でタイムアウト値を延ばし、"
                "遅い処理を調べるチケットを切る。",
            ],
            "fix": [
                "下流呼び出しにタイムアウトを付け、重い処理を非同期化・並列化する。",
                "タイムアウトの大小関係を揃える: 呼び出し元 > 関数 > 下流呼び出し。SQS "
                "の可視性タイムアウトは関数のタイムアウトの 6 倍以上にする。",
            ],
        },
    },
    "lambda_throttling": {
        "en": {
            "short_term": [
                "Compare ConcurrentExecutions of {resource} with its reserved concurrency and with the "
                "account's concurrency limit (GetAccountSettings): which ceiling is it hitting?",
                "If reserved concurrency caps {resource}, raise it (PutFunctionConcurrency), leaving room "
                "for the other functions in the account.",
                "If the account limit is the ceiling, find the function that uses most of it and cap that "
                "one, and request a quota increase in Service Quotas.",
                "For an SQS event source, set maximum concurrency on the event source mapping so the queue "
                "drains at a steady pace instead of being throttled.",
            ],
            "long_term": [
                "Size reserved concurrency per function from peak traffic x Duration, and alarm on "
                "ConcurrentExecutions at 80% of the limit.",
                "Use provisioned concurrency for predictable peaks on latency-sensitive functions.",
                "Smooth bursts: put a queue in front of {resource}, and have clients retry throttled calls "
                "with exponential backoff and jitter.",
            ],
            "triage": [
                "Throttles and ConcurrentExecutions of {resource}: did concurrency flatten at a ceiling?",
                "Reserved concurrency of {resource}, and the account's unreserved concurrency.",
                "Invocations and Duration: did traffic grow, or did each invocation get slower (same "
                "traffic, more concurrency)?",
            ],
            "mitigate": [
                "Raise the reserved concurrency of {resource} within the account's headroom.",
                "Cap another function that is using up the account's concurrency.",
                "Request a concurrency quota increase in Service Quotas.",
            ],
            "fix": [
                "Size concurrency per function from peak traffic and Duration, and alarm before the ceiling.",
                "Absorb bursts with a queue and retries with backoff; provisioned concurrency for known "
                "peaks.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} の ConcurrentExecutions を、"
                "予約済み同時実行数およびアカウントの同時実行数の上限（GetAccountSettings）と比べ、"
                "どちらの上限に当たっているかを見る。",
                "予約済み同時実行数が {resource} を抑えているなら、"
                "アカウント内の他の関数の分を残したうえで引き上げる（PutFunctionConcurrency）。",
                "アカウントの上限に当たっているなら、"
                "同時実行数を多く使っている関数を特定してそちらを制限し、Service Quotas "
                "で上限緩和を申請する。",
                "SQS がイベントソースなら、イベントソースマッピングに最大同時実行数を設定し、"
                "スロットリングさせずに一定のペースでキューを処理させる。",
            ],
            "long_term": [
                "関数ごとの予約済み同時実行数をピーク時のトラフィック x Duration から見積もり、"
                "ConcurrentExecutions が上限の 80% に達したらアラームを出す。",
                "レイテンシが重要な関数の予測できるピークには、プロビジョニングされた同時実行を使う。",
                "バーストをならす: {resource} の前にキューを置き、"
                "クライアントはスロットリングされた呼び出しを指数バックオフとジッター付きでリトライする。",
            ],
            "triage": [
                "{resource} の Throttles と ConcurrentExecutions: 同時実行数が上限で横ばいになっていないか。",
                "{resource} の予約済み同時実行数と、アカウントの予約されていない同時実行数。",
                "Invocations と Duration: トラフィックが増えたのか、1 "
                "回ごとの実行が遅くなったのか（トラフィックは同じで同時実行数が増える）。",
            ],
            "mitigate": [
                "アカウントの余裕の範囲で {resource} の予約済み同時実行数を引き上げる。",
                "アカウントの同時実行数を使い切っている別の関数を制限する。",
                "Service Quotas で同時実行数の上限緩和を申請する。",
            ],
            "fix": [
                "ピーク時のトラフィックと Duration から関数ごとの同時実行数を見積もり、"
                "上限に達する前にアラームを出す。",
                "バーストはキューとバックオフ付きのリトライで吸収し、"
                "予測できるピークにはプロビジョニングされた同時実行を使う。",
            ],
        },
    },
    "lambda_memory_exhaustion": {
        "en": {
            "short_term": [
                "Check the REPORT lines of {resource} for Max Memory Used equal to Memory Size, and the "
                'logs for Runtime.OutOfMemory or "signal: killed".',
                "Raise MemorySize of {resource} (UpdateFunctionConfiguration), for example double it; it "
                "also gives the function more CPU.",
                "Find the input that needs the memory: the payload or file size of the failing invocations.",
            ],
            "long_term": [
                "Stream large payloads (S3 objects, query results) in chunks instead of loading them whole "
                "into memory.",
                "Find the leak: objects cached in global variables or module scope grow across invocations "
                "in a warm execution environment; bound them or clear them.",
                "Alarm on memory use at 80% of MemorySize (memory_utilization in Lambda Insights), and size "
                "memory with Lambda Power Tuning.",
            ],
            "triage": [
                "REPORT lines: Max Memory Used against Memory Size, for failing and for successful "
                "invocations.",
                'Errors and logs: Runtime.OutOfMemory, "signal: killed", or the process exiting?',
                "Does memory grow over the life of a warm environment (a leak), or only with large inputs?",
            ],
            "mitigate": [
                "Raise MemorySize of {resource}.",
                "Roll back a recent deployment if the memory use rose with it.",
                "Keep very large inputs away from {resource} (split them or route them elsewhere) until it "
                "streams them.",
            ],
            "fix": [
                "Stream instead of loading whole payloads; fix leaks in globals reused across invocations.",
                "Size memory from measurements and alarm at 80%.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} の REPORT 行で Max Memory Used が Memory Size に達していないか、ログに "
                'Runtime.OutOfMemory や "signal: killed" が出ていないかを確認する。',
                "{resource} の MemorySize を引き上げる（UpdateFunctionConfiguration。例えば 2 倍）。CPU "
                "も合わせて増える。",
                "メモリを必要としている入力を特定する: 失敗した呼び出しのペイロードやファイルのサイズ。",
            ],
            "long_term": [
                "大きなペイロード（S3 オブジェクト、クエリ結果）は丸ごとメモリに載せず、"
                "少しずつストリーム処理する。",
                "リークを探す: グローバル変数やモジュールスコープにキャッシュしたオブジェクトは、"
                "ウォームな実行環境では呼び出しをまたいで増え続ける。上限を設けるかクリアする。",
                "メモリ使用量が MemorySize の 80% に達したらアラームを出し（Lambda Insights の "
                "memory_utilization）、Lambda Power Tuning でメモリサイズを決める。",
            ],
            "triage": [
                "REPORT 行: 失敗した呼び出しと成功した呼び出しそれぞれの Max Memory Used と Memory Size。",
                'エラーとログ: Runtime.OutOfMemory、"signal: killed"、プロセスの終了が出ていないか。',
                "メモリはウォームな環境が使われ続けるにつれて増えるのか（リーク）、大きな入力のときだけか。",
            ],
            "mitigate": [
                "{resource} の MemorySize を引き上げる。",
                "メモリ使用量の増加が直近のデプロイから始まったならロールバックする。",
                "ストリーム処理に直すまで、非常に大きな入力を {resource} "
                "に渡さない（分割するか別の経路に回す）。",
            ],
            "fix": [
                "ペイロード全体を読み込まずにストリーム処理し、"
                "呼び出しをまたいで再利用されるグローバル変数のリークを直す。",
                "実測に基づいてメモリサイズを決め、80% でアラームを出す。",
            ],
        },
    },
    "async_processing_failure": {
        "en": {
            "short_term": [
                'Read one message from the dead-letter queue of {resource} without deleting it ("Poll for '
                'messages" in the SQS console, or ReceiveMessage and let the visibility timeout return it) '
                "and find the error that sent it there.",
                "Classify the failure: permanent (validation, schema mismatch, record not found) will fail "
                "again on retry; transient (timeout, throttling) will succeed later.",
                "Permanent: stop the source if you can, fix the code or the data, then redrive. Transient: "
                "fix the capacity (concurrency, downstream limits), then redrive with StartMessageMoveTask.",
                "Watch ApproximateNumberOfMessagesVisible and ApproximateAgeOfOldestMessage on the DLQ, and "
                "IteratorAge for stream sources, to see whether it is still growing.",
            ],
            "long_term": [
                "Report partial batch failures (ReportBatchItemFailures) so one bad message does not fail "
                "and retry the whole batch.",
                "Set maxReceiveCount so poison messages reach the DLQ after a few attempts, and move them "
                "aside (a quarantine queue or S3) with their error.",
                "Make the consumer idempotent so that retries and redrives are safe.",
                "Alarm on DLQ depth > 0, on ApproximateAgeOfOldestMessage and on DeadLetterErrors / "
                "DestinationDeliveryFailures, each linked to this runbook.",
            ],
            "triage": [
                "DLQ depth and age of the oldest message: still growing, or a burst that has stopped?",
                "One message body and the consumer's error log for it: a permanent or a transient failure?",
                "Consumer metrics: Errors, Throttles, IteratorAge, and DeadLetterErrors or "
                "DestinationDeliveryFailures for asynchronous invocations.",
            ],
            "mitigate": [
                "Stop or slow the inflow if the source can be paused, to limit the damage.",
                "Move the failed messages aside (a quarantine queue or S3) so they do not hold up the main "
                "flow.",
                "Redrive only after the cause is fixed: StartMessageMoveTask back to the source queue, "
                "watching the DLQ for messages that fail again.",
            ],
            "fix": [
                "Fix the code or data behind permanent failures; capacity and backoff for transient ones.",
                "Partial batch responses, a path for poison messages, and idempotent consumers.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} のデッドレターキューからメッセージを 1 件、削除せずに読み（SQS "
                "コンソールの「メッセージをポーリング」、または ReceiveMessage "
                "で受信して可視性タイムアウトで戻す）、DLQ に送られた原因のエラーを突き止める。",
                "失敗を分類する: 恒久エラー（バリデーション、スキーマ不整合、データが見つからない）"
                "は再試行しても失敗し、一時エラー（タイムアウト、スロットリング）は時間を置けば成功する。",
                "恒久エラーなら、止められる場合は流入元を止め、コードかデータを直してから再処理する。"
                "一時エラーなら、キャパシティ（同時実行数、下流の制限）を直してから StartMessageMoveTask "
                "で再処理する。",
                "DLQ の ApproximateNumberOfMessagesVisible と ApproximateAgeOfOldestMessage、"
                "ストリームがソースなら IteratorAge を見て、まだ増えているかを確認する。",
            ],
            "long_term": [
                "部分的なバッチ失敗を報告し（ReportBatchItemFailures）、1 "
                "件の不正なメッセージでバッチ全体が失敗・再試行されないようにする。",
                "maxReceiveCount を設定してポイズンメッセージを数回の試行で DLQ に送り、"
                "エラー内容を付けて隔離する（隔離用のキューまたは S3）。",
                "再試行や再処理が安全になるよう、コンシューマーを冪等にする。",
                "DLQ の件数 > 0、ApproximateAgeOfOldestMessage、DeadLetterErrors / "
                "DestinationDeliveryFailures にアラームを設定し、それぞれにこのランブックをリンクする。",
            ],
            "triage": [
                "DLQ の件数と最も古いメッセージの経過時間: まだ増えているか、"
                "一時的な集中ですでに止まったか。",
                "メッセージ本文 1 件と、それに対するコンシューマーのエラーログ: 恒久エラーか一時エラーか。",
                "コンシューマーのメトリクス: Errors、Throttles、IteratorAge、非同期呼び出しなら "
                "DeadLetterErrors や DestinationDeliveryFailures。",
            ],
            "mitigate": [
                "流入元を一時停止できるなら止めるか絞り、被害の拡大を防ぐ。",
                "失敗したメッセージを退避し（隔離用のキューまたは S3）、メインの処理を妨げないようにする。",
                "再処理は原因を直してから行う: StartMessageMoveTask でソースキューに戻し、再び DLQ "
                "に落ちるメッセージがないかを見る。",
            ],
            "fix": [
                "恒久エラーはその原因のコードかデータを直し、"
                "一時エラーはキャパシティとバックオフで対処する。",
                "部分的なバッチ応答、ポイズンメッセージの退避経路、冪等なコンシューマー。",
            ],
        },
    },
    "unhealthy_targets": {
        "en": {
            "short_term": [
                "Look at HealthyHostCount and UnHealthyHostCount of {resource} per Availability Zone: is "
                "one AZ affected, or every target?",
                "Read why the targets fail (the reason in DescribeTargetHealth: Target.Timeout, "
                "Target.ResponseCodeMismatch, Target.FailedHealthChecks) and, on ECS, the stoppedReason and "
                "exit code of recently stopped tasks (DescribeTasks).",
                "Add capacity to keep serving: raise the desired count or the Auto Scaling group's "
                "capacity, and replace crashed tasks or instances.",
                "If a deployment started it, roll it back.",
            ],
            "long_term": [
                "Fix the cause the targets show: the crash in the logs, a memory limit (OOM kills), or a "
                "dependency the app needs at startup.",
                "Spread targets over at least two AZs, with enough headroom that losing one AZ keeps the "
                "service up.",
                "Alarm when HealthyHostCount falls below the number needed to carry peak traffic, not only "
                "on 5xx.",
            ],
            "triage": [
                "HealthyHostCount by AZ: when did it drop, and where?",
                "The health reason of the unhealthy targets (target group console or DescribeTargetHealth).",
                "ECS stopped tasks: stoppedReason, exit code, and the last log lines of one stopped task.",
            ],
            "mitigate": [
                "Scale out, or replace the failed tasks or instances.",
                "Roll back the deployment that started it.",
                "If only one AZ is affected, shift traffic away from it (zonal shift) while investigating.",
            ],
            "fix": [
                "Fix the crash or resource limit the targets hit; keep headroom across AZs.",
                "Alarm on HealthyHostCount, with a runbook link.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} の HealthyHostCount と UnHealthyHostCount をアベイラビリティーゾーンごとに見る: "
                "特定の AZ だけか、すべてのターゲットか。",
                "ターゲットが失敗している理由（DescribeTargetHealth の reason: Target.Timeout、"
                "Target.ResponseCodeMismatch、Target.FailedHealthChecks）と、ECS なら直近に停止したタスクの "
                "stoppedReason と終了コード（DescribeTasks）を確認する。",
                "サービスを続けるために容量を足す: 希望タスク数や Auto Scaling グループの容量を増やし、"
                "クラッシュしたタスクやインスタンスを入れ替える。",
                "デプロイがきっかけなら、ロールバックする。",
            ],
            "long_term": [
                "ターゲットが示している原因を直す: ログに出ているクラッシュ、メモリ上限（OOM "
                "による強制終了）、起動時に必要な依存先。",
                "ターゲットを 2 つ以上の AZ に分散し、1 つの AZ "
                "を失ってもサービスを続けられる余裕を持たせる。",
                "5xx だけでなく、HealthyHostCount "
                "がピーク時のトラフィックを支えるのに必要な数を下回ったらアラームを出す。",
            ],
            "triage": [
                "AZ ごとの HealthyHostCount: いつ、どこで減ったか。",
                "異常なターゲットのヘルス状態の理由（ターゲットグループのコンソールまたは "
                "DescribeTargetHealth）。",
                "ECS の停止したタスク: stoppedReason、終了コード、停止したタスク 1 つの最後のログ行。",
            ],
            "mitigate": [
                "スケールアウトするか、失敗したタスクやインスタンスを入れ替える。",
                "きっかけとなったデプロイをロールバックする。",
                "特定の AZ だけの問題なら、調査の間はその AZ からトラフィックを外す（ゾーンシフト）。",
            ],
            "fix": [
                "ターゲットが当たっているクラッシュやリソース上限を直し、AZ をまたいで余裕を持たせる。",
                "HealthyHostCount にアラームを設定し、ランブックをリンクする。",
            ],
        },
    },
    "health_check_misconfiguration": {
        "en": {
            "short_term": [
                "Compare the health check of the target group {resource} (path, port, matcher, timeout, "
                "interval) with what the app really answers: curl the health check path from inside the VPC.",
                "Read the target health reason: Target.ResponseCodeMismatch means the app answered outside "
                "the matcher (for example 204, 299 or 301 against a matcher of 200, or 404 for a wrong "
                "path); Target.Timeout points to a wrong port or a timeout shorter than the response.",
                "Fix the health check, not the app: widen the matcher (for example 200-299), correct the "
                "path or port, or lengthen the timeout (ModifyTargetGroup).",
            ],
            "long_term": [
                "Define the health check in the same template as the service, and test it in the pipeline "
                "against the real endpoint.",
                "Give the app a dedicated, cheap health endpoint that returns 200 without calling slow "
                "dependencies.",
                "Alarm on what users see (5xx and latency at the load balancer, or CloudWatch Synthetics "
                "canaries) rather than on target health alone.",
            ],
            "triage": [
                "Do users see errors? Compare HTTPCode_Target_5XX_Count and successful requests with "
                "UnHealthyHostCount.",
                "The target health reason, and the health check's path, port, matcher and timeout.",
                "What the app answers on the health check path: status code and response time.",
            ],
            "mitigate": [
                "Correct the matcher, path, port or timeout of the health check (ModifyTargetGroup).",
                "Lengthen the ECS health check grace period so healthy tasks are not replaced while the "
                "check is being fixed.",
            ],
            "fix": [
                "Health check settings in the infrastructure code, tested against the app.",
                "Alarms on user-facing signals, not on target health alone.",
            ],
        },
        "ja": {
            "short_term": [
                "ターゲットグループ {resource} のヘルスチェック設定（パス、ポート、成功コード、"
                "タイムアウト、間隔）を、アプリが実際に返す応答と比べる: VPC 内からヘルスチェックのパスに "
                "curl する。",
                "ターゲットのヘルス状態の理由を読む: Target.ResponseCodeMismatch "
                "は成功コードの範囲外の応答（例: 成功コード 200 に対して 204、299、301、パスの誤りなら "
                "404）、Target.Timeout はポートの誤りか、応答時間より短いタイムアウトを示す。",
                "アプリではなくヘルスチェックを直す: 成功コードを広げる（例: 200-299）、パスやポートを正す、"
                "タイムアウトを延ばす（ModifyTargetGroup）。",
            ],
            "long_term": [
                "ヘルスチェックをサービスと同じテンプレートで定義し、"
                "パイプラインで実際のエンドポイントに対してテストする。",
                "遅い依存先を呼ばずに 200 を返す、"
                "軽い専用のヘルスチェック用エンドポイントをアプリに用意する。",
                "ターゲットのヘルス状態だけに頼らず、ユーザーが見ているもの（ロードバランサーの 5xx "
                "とレイテンシ、または CloudWatch Synthetics の Canary）にアラームを設定する。",
            ],
            "triage": [
                "ユーザーにエラーは出ているか: HTTPCode_Target_5XX_Count や成功したリクエスト数を "
                "UnHealthyHostCount と比べる。",
                "ターゲットのヘルス状態の理由と、ヘルスチェックのパス・ポート・成功コード・タイムアウト。",
                "アプリがヘルスチェックのパスに返しているもの: ステータスコードと応答時間。",
            ],
            "mitigate": [
                "ヘルスチェックの成功コード・パス・ポート・タイムアウトを正す（ModifyTargetGroup）。",
                "ECS のヘルスチェックの猶予期間を延ばし、"
                "設定を直す間に正常なタスクが入れ替えられないようにする。",
            ],
            "fix": [
                "ヘルスチェックの設定をインフラのコードで管理し、アプリに対してテストする。",
                "ターゲットのヘルス状態だけでなく、ユーザーに見える指標にアラームを設定する。",
            ],
        },
    },
    "network_misconfiguration": {
        "en": {
            "short_term": [
                "Find which path fails: from which subnet or AZ, to which destination (the internet through "
                "a NAT gateway, an AWS service through a VPC endpoint, a database, on-premises).",
                "Compare the failing subnet with a working one side by side in the VPC console (resource "
                "map): route table association, network ACL, security groups, VPC endpoint routes.",
                "Look for REJECT records on the path in VPC Flow Logs, and run Reachability Analyzer from "
                "the source to the destination.",
                "Restore what differs: the route table association, the missing route (for example the "
                "gateway endpoint's route), the NACL rule (inbound and outbound 1024-65535 for return "
                "traffic), or the removed security group rule.",
            ],
            "long_term": [
                "Change subnets, route tables, NACLs and security groups only through infrastructure as "
                "code, and detect drift (CloudFormation drift detection).",
                "Catch network changes with AWS Config rules and alerts on CloudTrail events such as "
                "ReplaceRouteTableAssociation, DeleteNetworkAclEntry and RevokeSecurityGroupIngress.",
                "Keep a list of what each service connects to, and check it against the VPC endpoints and "
                "routes.",
            ],
            "triage": [
                "Does every request fail, or only some (one subnet, one AZ, one target)?",
                "VPC Flow Logs: REJECT records between the source and the destination in the window.",
                "CloudTrail: recent changes to route tables, NACLs, security groups or VPC endpoints.",
            ],
            "mitigate": [
                "Roll back the network change in the infrastructure code, if one was made.",
                "Restore the route table association, route, NACL rule or security group rule that differs.",
                "Take the broken subnet or AZ out of service (load balancer subnets, Auto Scaling group) "
                "until it is fixed.",
            ],
            "fix": [
                "Network resources only in infrastructure as code, with drift detection and AWS Config "
                "rules.",
                "Check critical paths with Reachability Analyzer after every network change.",
            ],
        },
        "ja": {
            "short_term": [
                "どの経路で失敗しているかを特定する: どのサブネット・AZ から、どの宛先へか（NAT Gateway "
                "経由のインターネット、VPC エンドポイント経由の AWS サービス、DB、オンプレミス）。",
                "失敗するサブネットと正常なサブネットを VPC コンソール（リソースマップ）で横並びに比べる: "
                "ルートテーブルの関連付け、ネットワーク ACL、セキュリティグループ、VPC "
                "エンドポイントのルート。",
                "経路上の REJECT レコードを VPC フローログで探し、送信元から宛先まで Reachability Analyzer "
                "で分析する。",
                "差分を元に戻す: ルートテーブルの関連付け、欠けているルート（例: "
                "ゲートウェイエンドポイントのルート）、NACL "
                "のルール（戻りの通信用にインバウンド・アウトバウンドの 1024-65535）、"
                "削除されたセキュリティグループのルール。",
            ],
            "long_term": [
                "サブネット、ルートテーブル、NACL、セキュリティグループは IaC からのみ変更し、"
                "ドリフトを検出する（CloudFormation のドリフト検出）。",
                "AWS Config ルールと、"
                "ReplaceRouteTableAssociation・DeleteNetworkAclEntry・RevokeSecurityGroupIngress などの "
                "CloudTrail イベントの通知で、ネットワークの変更に気づけるようにする。",
                "どのサービスがどこに接続するかの台帳を作り、VPC "
                "エンドポイントとルートに漏れがないか照合する。",
            ],
            "triage": [
                "すべてのリクエストが失敗するのか、一部（1 つのサブネット、1 つの AZ、1 つのターゲット）"
                "だけか。",
                "VPC フローログ: 障害時間帯に送信元と宛先の間で REJECT が記録されていないか。",
                "CloudTrail: ルートテーブル、NACL、セキュリティグループ、VPC エンドポイントへの直近の変更。",
            ],
            "mitigate": [
                "ネットワークの変更が IaC で行われていれば、それをロールバックする。",
                "差分のあるルートテーブルの関連付け、ルート、NACL のルール、"
                "セキュリティグループのルールを元に戻す。",
                "直るまで、問題のサブネットや AZ を使わないようにする（ロードバランサーのサブネット、Auto "
                "Scaling グループ）。",
            ],
            "fix": [
                "ネットワークのリソースは IaC だけで管理し、ドリフト検出と AWS Config ルールで見張る。",
                "ネットワークを変更するたびに、重要な経路を Reachability Analyzer で確認する。",
            ],
        },
    },
    "compute_saturation": {
        "en": {
            "short_term": [
                "Confirm that {resource} is at its ceiling under normal traffic: CPUUtilization or "
                "MemoryUtilization near 100% while RequestCount is at its usual level.",
                "Scale out: raise the ECS service's desired count or the Auto Scaling group's desired "
                "capacity, and raise the maximum if scaling already reached it.",
                "If tasks are killed for memory (OutOfMemoryError, exit code 137), give the task more "
                "memory or move to a larger size.",
            ],
            "long_term": [
                "Right-size the task or instance from measured peaks (Container Insights, Compute "
                "Optimizer).",
                "Profile the hot paths (CodeGuru Profiler, py-spy, async-profiler) and fix what consumes "
                "the CPU or memory.",
                "Use target tracking scaling at 60-70% CPU (or on requests per target), with a maximum high "
                "enough for peaks.",
            ],
            "triage": [
                "CPUUtilization and MemoryUtilization of {resource}: at the ceiling, and since when?",
                "Traffic (RequestCount, Invocations) against its usual level: is the load normal?",
                "Scaling activity: did Auto Scaling try to add capacity, and is it at its maximum?",
            ],
            "mitigate": [
                "Scale out (desired count or capacity), raising the maximum if needed.",
                "Move to a larger task or instance size.",
                "Roll back a recent deployment if the usage rose with it.",
            ],
            "fix": [
                "Right-size from measured peaks and fix the hot paths found by profiling.",
                "Target tracking at 60-70% with enough maximum capacity.",
            ],
        },
        "ja": {
            "short_term": [
                "通常のトラフィックで {resource} が上限に達していることを確認する: RequestCount "
                "は普段どおりなのに CPUUtilization か MemoryUtilization が 100% 近い。",
                "スケールアウトする: ECS サービスの希望タスク数か Auto Scaling グループの希望容量を増やし、"
                "すでに最大値に達していれば最大値も上げる。",
                "メモリ不足でタスクが強制終了されている（OutOfMemoryError、終了コード 137）なら、"
                "タスクのメモリを増やすか、より大きいサイズに移す。",
            ],
            "long_term": [
                "実測したピーク（Container Insights、Compute Optimizer）をもとに、"
                "タスクやインスタンスのサイズを見直す。",
                "ホットパスをプロファイルし（CodeGuru Profiler、py-spy、async-profiler）、CPU "
                "やメモリを消費している処理を直す。",
                "CPU 60〜70%（またはターゲットあたりのリクエスト数）でターゲット追跡スケーリングを使い、"
                "最大値はピークに足りるだけ確保する。",
            ],
            "triage": [
                "{resource} の CPUUtilization と MemoryUtilization: 上限に達しているか、いつからか。",
                "トラフィック（RequestCount、Invocations）は普段どおりか: 負荷は平常か。",
                "スケーリングのアクティビティ: Auto Scaling は容量を増やそうとしたか、"
                "最大値に達していないか。",
            ],
            "mitigate": [
                "スケールアウトし（希望タスク数や容量）、必要なら最大値を上げる。",
                "より大きいタスクやインスタンスのサイズに移す。",
                "使用量の増加が直近のデプロイから始まったならロールバックする。",
            ],
            "fix": [
                "実測したピークからサイズを見直し、プロファイルで見つけたホットパスを直す。",
                "CPU 60〜70% のターゲット追跡と、十分な最大容量。",
            ],
        },
    },
    "traffic_surge": {
        "en": {
            "short_term": [
                "Compare the request volume of {resource} with its baseline and with the same time "
                "yesterday (RequestCount, Count, Invocations): how far above normal, and since when?",
                "Find who sends it: top client IPs, user agents, API keys and paths (WAF sampled requests, "
                "ALB access logs, CloudWatch Logs Insights); tell real demand from a bot or a retry storm.",
                "Scale out ahead of the load: raise the desired count, the Auto Scaling minimum or the "
                "Lambda concurrency.",
                "Rate-limit or block abusive clients (AWS WAF rate-based rule, API Gateway usage plan "
                "throttling), and serve cacheable responses from CloudFront.",
            ],
            "long_term": [
                "Use Auto Scaling with target tracking (and step scaling for sudden jumps), plus scheduled "
                "scaling for known peaks.",
                "Cache what can be cached (CloudFront, ElastiCache) so that surges do not reach the origin.",
                "Make clients retry with exponential backoff and jitter and cap their retries, so a failure "
                "does not turn into a retry storm.",
                "Keep WAF rate-based rules and per-client quotas in place, and alarm on the request rate "
                "against its baseline.",
            ],
            "triage": [
                "Request rate now, against the baseline and the same time yesterday.",
                "Top clients, user agents and paths: one source, or broad demand?",
                "Errors and retries: is the extra traffic made of retries of failing calls (a retry storm)?",
            ],
            "mitigate": [
                "Scale out ahead of the load.",
                "Rate-limit or block abusive clients with AWS WAF or API Gateway throttling.",
                "Serve from cache and pause non-essential work.",
            ],
            "fix": [
                "Auto Scaling with target tracking and step scaling, scheduled scaling for known peaks, and "
                "caching.",
                "Backoff with jitter and retry caps in clients; rate limits per client.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} のリクエスト量をベースラインおよび前日同時刻と比べる（RequestCount、Count、"
                "Invocations）: 平常時の何倍で、いつからか。",
                "どこから来ているかを特定する: 上位のクライアント IP、User-Agent、API キー、パス（WAF "
                "のサンプルリクエスト、ALB のアクセスログ、CloudWatch Logs Insights）。本当の需要か、"
                "ボットやリトライストームかを見分ける。",
                "負荷に先回りしてスケールアウトする: 希望タスク数、Auto Scaling の最小値、Lambda "
                "の同時実行数を上げる。",
                "不正なクライアントはレート制限かブロックし（AWS WAF のレートベースルール、API Gateway "
                "の使用量プランによるスロットリング）、キャッシュできる応答は CloudFront から返す。",
            ],
            "long_term": [
                "ターゲット追跡（急な跳ね上がりにはステップスケーリングも）の Auto Scaling を使い、"
                "予測できるピークにはスケジュールされたスケーリングを加える。",
                "キャッシュできるものはキャッシュし（CloudFront、ElastiCache）、"
                "急増がオリジンまで届かないようにする。",
                "クライアントのリトライは指数バックオフとジッター付きにして回数に上限を設け、"
                "障害がリトライストームに発展しないようにする。",
                "WAF のレートベースルールとクライアントごとのクォータを常設し、"
                "ベースラインに対するリクエストレートにアラームを設定する。",
            ],
            "triage": [
                "現在のリクエストレートを、ベースラインおよび前日同時刻と比べる。",
                "上位のクライアント、User-Agent、パス: 特定の送信元か、全体的な需要か。",
                "エラーとリトライ: 増えたトラフィックは、失敗した呼び出しのリトライ（リトライストーム）"
                "ではないか。",
            ],
            "mitigate": [
                "負荷に先回りしてスケールアウトする。",
                "不正なクライアントを AWS WAF や API Gateway "
                "のスロットリングでレート制限またはブロックする。",
                "キャッシュから返し、必須でない処理を一時停止する。",
            ],
            "fix": [
                "ターゲット追跡とステップスケーリングによる Auto Scaling、"
                "予測できるピークへのスケジュールされたスケーリング、キャッシュ。",
                "クライアントのバックオフ（ジッター付き）とリトライ上限、クライアントごとのレート制限。",
            ],
        },
    },
    "alarm_misconfiguration": {
        "en": {
            "short_term": [
                "No action on the service: it looks healthy.",
                "Acknowledge the alarm {resource} and keep it from paging until it is fixed.",
            ],
            "long_term": [
                "Fix the alarm's dimensions in the template that defines it (for load balancers use the full "
                "names: app/<name>/<id>, targetgroup/<name>/<id>).",
                "After each deploy, check that every alarm's metric exists (ListMetrics) and has data.",
                "Choose TreatMissingData deliberately for the alarm.",
            ],
            "triage": [
                "List the metric's real dimension values: aws cloudwatch list-metrics --namespace ... "
                "--metric-name ...",
                "Compare them with the alarm's dimensions.",
                "Confirm the service's own health metrics are normal.",
            ],
            "mitigate": ["Silence or disable the alarm's actions until it is corrected."],
            "fix": ["Correct the dimensions in the infrastructure code and redeploy."],
        },
        "ja": {
            "short_term": [
                "サービスへの対応は不要: サービスは正常に見える。",
                "アラーム {resource} を確認済みにし、修正まで呼び出しが続かないようにする。",
            ],
            "long_term": [
                "アラームを定義しているテンプレートでディメンションを直す（ロードバランサーは "
                "app/<name>/<id>、targetgroup/<name>/<id> の完全な名前を使う）。",
                "デプロイ後に、各アラームのメトリクスが存在しデータがあることを確認する（ListMetrics）。",
                "TreatMissingData を意図して設定する。",
            ],
            "triage": [
                "メトリクスの実際のディメンション値を一覧する: aws cloudwatch list-metrics --namespace ... "
                "--metric-name ...",
                "アラームのディメンションと比較する。",
                "サービス自体のヘルスメトリクスが正常か確認する。",
            ],
            "mitigate": ["修正するまでアラームのアクションを止める。"],
            "fix": ["インフラのコードでディメンションを修正して再デプロイする。"],
        },
    },
    "inconclusive": {
        "en": {
            "short_term": [
                "Read the evidence below: none of it clearly explains the alarm.",
                "Check whether the alarm was a short blip that already recovered, and whether anything was "
                "deployed or changed just before.",
                "If users are affected, escalate to the service owner with this report.",
            ],
            "long_term": [
                "Tag the alarm with analyzer:log-groups and analyzer:service so the next analysis reads the right "
                "logs and traces.",
                "Trace the service with X-Ray or OpenTelemetry if traces are missing.",
                "Review the alarm's threshold against the metric's normal range.",
            ],
            "triage": [
                "Is the alarm metric still breaching, or was it one datapoint?",
                "Any change (deploy, configuration, traffic) in the last hour?",
                "Do users report a problem?",
            ],
            "mitigate": ["If nothing is broken, acknowledge and watch one more evaluation period."],
            "fix": ["Give the alarm a scope (tags) and a runbook, and tune its threshold."],
        },
        "ja": {
            "short_term": [
                "下の根拠を確認する: どれもアラームを明確には説明していない。",
                "すでに回復した一時的な揺れか、直前にデプロイや変更がなかったかを確認する。",
                "ユーザー影響があるなら、このレポートを添えてサービスオーナーにエスカレーションする。",
            ],
            "long_term": [
                "次回の分析が正しいログとトレースを読めるよう、アラームに analyzer:log-groups と analyzer:service "
                "タグを付ける。",
                "トレースが無い場合は X-Ray か OpenTelemetry で計装する。",
                "アラームのしきい値をメトリクスの通常範囲と照らして見直す。",
            ],
            "triage": [
                "アラームのメトリクスはまだしきい値を超えているか、1 点だけだったか。",
                "直近 1 時間に変更（デプロイ、設定、トラフィック）はあったか。",
                "ユーザーから問題の報告はあるか。",
            ],
            "mitigate": ["何も壊れていなければ確認済みにし、もう 1 評価期間様子を見る。"],
            "fix": ["アラームにスコープ（タグ）とランブックを与え、しきい値を調整する。"],
        },
    },
    "cache_pressure": {
        "en": {
            "short_term": [
                "Check Evictions, DatabaseMemoryUsagePercentage, EngineCPUUtilization and CurrConnections of "
                "{resource}: which one left its usual level first?",
                "If memory is full, free room: delete or shorten the TTL of the largest key families, or scale "
                "up the node type (or add shards) now.",
                "Protect what is behind the cache from the misses: rate-limit the hottest reads or serve stale "
                "data while the cache refills.",
            ],
            "long_term": [
                "Size the cache from its peak memory with headroom (reserved memory included) and alarm on "
                "DatabaseMemoryUsagePercentage at 80%.",
                "Give every key a TTL and choose maxmemory-policy deliberately (allkeys-lru for a pure cache; "
                "volatile-* only when keys without TTL must stay).",
                "Make the service survive a cold or refusing cache: request coalescing, backoff, and capacity "
                "behind the cache for its miss rate.",
            ],
            "triage": [
                "Memory, evictions and engine CPU of {resource} against the day before: since when?",
                "Client errors: OOM command not allowed, max number of clients reached, timeouts?",
                "What is behind the cache (database CPU, latency): did its load rise with the misses?",
            ],
            "mitigate": [
                "Scale up or out (node type, shards, replicas) or free memory by expiring large keys.",
                "Shed or rate-limit the reads that miss, and let the cache refill gradually.",
                "Restart clients that leak connections if CurrConnections is at its limit.",
            ],
            "fix": [
                "TTLs and an eviction policy that fit the data, and a node size with headroom.",
                "Alarms on memory at 80% and on evictions, and a service that degrades gracefully on misses.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} の Evictions、DatabaseMemoryUsagePercentage、EngineCPUUtilization、CurrConnections "
                "を確認する: どれが最初に通常の水準から外れたか。",
                "メモリが満杯なら空きを作る: 最大のキー群を削除するか TTL を短くする、またはノードタイプを上げる"
                "（シャードを追加する）。",
                "キャッシュの背後をミスから守る: 最も多い読み取りをレート制限するか、キャッシュが戻るまで古い"
                "データを返す。",
            ],
            "long_term": [
                "ピーク時のメモリに余裕（予約メモリを含む）を持たせてキャッシュを設計し、"
                "DatabaseMemoryUsagePercentage が 80% でアラームを出す。",
                "すべてのキーに TTL を付け、maxmemory-policy を意図して選ぶ（純粋なキャッシュなら "
                "allkeys-lru、TTL の無いキーを残す必要がある場合のみ volatile-*）。",
                "キャッシュが空でも拒否しても耐えられるようにする: リクエストの集約、バックオフ、"
                "ミス率に見合う背後の容量。",
            ],
            "triage": [
                "{resource} のメモリ、追い出し、エンジン CPU を前日と比べる: いつからか。",
                "クライアントのエラー: メモリ不足によるコマンド拒否、接続数上限、タイムアウトはあるか。",
                "キャッシュの背後（DB の CPU、レイテンシ）: ミスとともに負荷が増えたか。",
            ],
            "mitigate": [
                "スケールアップまたはアウトする（ノードタイプ、シャード、レプリカ）か、大きなキーを期限切れにして"
                "メモリを空ける。",
                "ミスする読み取りを制限し、キャッシュを徐々に温め直す。",
                "CurrConnections が上限なら、接続を漏らしているクライアントを再起動する。",
            ],
            "fix": [
                "データに合った TTL と追い出しポリシー、余裕のあるノードサイズ。",
                "メモリ 80% と追い出しのアラーム、ミスに対して穏やかに劣化するサービス。",
            ],
        },
    },
    "storage_exhaustion": {
        "en": {
            "short_term": [
                "Check the free space of {resource} (FreeStorageSpace, disk_used_percent, df -h) and what is "
                "filling it: logs, temporary files, binary logs or WAL, a runaway table.",
                "Free space now: remove or rotate old logs and temporary files, or grow the volume or the "
                "allocated storage (RDS: modify AllocatedStorage; EBS: modify-volume, then grow the file system).",
                "If a replication slot or a long transaction holds WAL or undo, release it.",
            ],
            "long_term": [
                "Turn on storage autoscaling (RDS MaxAllocatedStorage) or alarm on the rate the free space "
                "falls, not only on a fixed floor.",
                "Rotate and ship logs off the instance; clean temporary files; partition or archive growing tables.",
                "Alarm on free space at 20% and on its forecast (anomaly detection) so a full disk pages days ahead.",
            ],
            "triage": [
                "Free space of {resource} now and its trend over the last days: how fast is it falling?",
                "Which directory, table or log grows (du, pg_total_relation_size, information_schema)?",
                "Which writes fail (No space left on device, could not extend file, table is full)?",
            ],
            "mitigate": [
                "Delete or rotate what can go (old logs, temporary files, expired binary logs).",
                "Grow the volume or the database's allocated storage.",
                "Stop the job that fills it until there is room.",
            ],
            "fix": [
                "Storage autoscaling or a volume sized from measured growth, and log rotation.",
                "Alarms on free space and on its rate of change.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} の空き容量（FreeStorageSpace、disk_used_percent、df -h）と、何が埋めているかを確認する:"
                " ログ、一時ファイル、バイナリログや WAL、肥大化したテーブル。",
                "今すぐ空きを作る: 古いログや一時ファイルを削除・ローテーションするか、ボリュームや割り当て"
                "ストレージを拡張する（RDS: AllocatedStorage の変更、EBS: modify-volume の後にファイルシステムを拡張）。",
                "レプリケーションスロットや長いトランザクションが WAL や undo を保持していれば解放する。",
            ],
            "long_term": [
                "ストレージの自動拡張（RDS の MaxAllocatedStorage）を有効にするか、固定の下限だけでなく空き容量の"
                "減少速度でアラームを出す。",
                "ログをローテーションしてインスタンス外に送る。一時ファイルを掃除し、増え続けるテーブルを"
                "パーティション化またはアーカイブする。",
                "空き容量 20% とその予測（異常検出）でアラームを出し、満杯になる数日前に通知する。",
            ],
            "triage": [
                "{resource} の現在の空き容量と直近数日の推移: どれくらいの速さで減っているか。",
                "どのディレクトリ、テーブル、ログが増えているか（du、pg_total_relation_size、information_schema）。",
                "どの書き込みが、容量不足のどのエラーで失敗しているか（ログのエラーメッセージ）。",
            ],
            "mitigate": [
                "消してよいもの（古いログ、一時ファイル、期限切れのバイナリログ）を削除またはローテーションする。",
                "ボリュームまたは DB の割り当てストレージを拡張する。",
                "空きができるまで、容量を埋めているジョブを止める。",
            ],
            "fix": [
                "ストレージの自動拡張か、実測の増加量に基づくボリュームサイズと、ログのローテーション。",
                "空き容量とその変化率のアラーム。",
            ],
        },
    },
    "burst_credit_exhaustion": {
        "en": {
            "short_term": [
                "Check the credit balance of {resource} (CPUCreditBalance, BurstBalance or BurstCreditBalance) "
                "and whether CPU or I/O is flat at the baseline rate since it reached zero.",
                "Lift the cap now: switch the instance to unlimited credits, or move to a class, volume type "
                "(gp3) or throughput mode (elastic or provisioned) that does not run on credits.",
                "Reduce the load on {resource} until the balance recovers (pause batch jobs, shift traffic).",
            ],
            "long_term": [
                "Size from sustained use: a burstable class only when average use stays below its baseline; "
                "gp3 volumes with provisioned IOPS; EFS elastic throughput.",
                "Alarm on the balance falling (at 20% of its maximum), not on the CPU it caps.",
                "Find what keeps the resource above its baseline (a job, a query, a scan) and spread or fix it.",
            ],
            "triage": [
                "The balance of {resource}: when did it reach zero, and how fast did it fall?",
                "CPU, I/O queue or permitted throughput: flat at the baseline since then?",
                "What uses the resource above its baseline, and since when?",
            ],
            "mitigate": [
                "Switch to unlimited mode, gp3 or elastic throughput, or to a larger class.",
                "Pause or move the work that spends the credits.",
                "Fail over or scale out to resources with credits left.",
            ],
            "fix": [
                "A class, volume or throughput mode sized for the sustained load.",
                "Alarms on the credit balance.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} のクレジット残高（CPUCreditBalance、BurstBalance、BurstCreditBalance）と、ゼロになって"
                "から CPU や I/O がベースラインで頭打ちになっていないかを確認する。",
                "今すぐ上限を外す: インスタンスを unlimited モードに切り替えるか、クレジットに依存しないクラス、"
                "ボリュームタイプ（gp3）、スループットモード（elastic や provisioned）に移す。",
                "残高が回復するまで {resource} の負荷を減らす（バッチジョブの停止、トラフィックの移動）。",
            ],
            "long_term": [
                "継続的な使用量でサイズを決める: 平均使用量がベースラインを下回る場合だけバースト可能クラスを使い、"
                "gp3 ボリュームの IOPS 指定、EFS の elastic スループットを使う。",
                "制限される CPU ではなく、残高の減少（最大値の 20%）でアラームを出す。",
                "リソースをベースライン以上に使い続けているもの（ジョブ、クエリ、スキャン）を見つけ、分散するか直す。",
            ],
            "triage": [
                "{resource} の残高: いつゼロになり、どれくらいの速さで減ったか。",
                "CPU、I/O キュー、許容スループット: それ以降ベースラインで頭打ちか。",
                "何がいつからベースラインを超えてリソースを使っているか。",
            ],
            "mitigate": [
                "unlimited モード、gp3、elastic スループット、またはより大きいクラスに切り替える。",
                "クレジットを消費している処理を止めるか移す。",
                "クレジットの残っているリソースへフェイルオーバーまたはスケールアウトする。",
            ],
            "fix": [
                "継続的な負荷に合わせたクラス、ボリューム、スループットモード。",
                "クレジット残高のアラーム。",
            ],
        },
    },
    "infrastructure_failure": {
        "en": {
            "short_term": [
                "Check what happened under {resource}: EC2 status checks and scheduled events, RDS or "
                "ElastiCache events (failover, reboot, node replacement) and their times against the first errors.",
                "An impaired instance: stop and start it (it moves to healthy hardware; a reboot does not), or "
                "replace it from its Auto Scaling group. A database that failed over: confirm the new primary "
                "serves and let clients reconnect.",
                "Restart clients whose pools still hold connections to the old node or cached its address.",
            ],
            "long_term": [
                "Run more than one of everything across zones (Auto Scaling groups, Multi-AZ, replicas) so one "
                "failed node is absorbed.",
                "Make clients survive a failover: short DNS TTL caching, connection validation and retries with "
                "backoff, RDS Proxy in front of the database.",
                "Act on scheduled events before their date, and alarm on StatusCheckFailed with auto recovery.",
            ],
            "triage": [
                "Status checks, scheduled events and service events of {resource}: what, and when?",
                "Did the errors begin at the failover, reboot or status check, and have they stopped?",
                "Is the resource healthy again (new primary, replaced instance)?",
            ],
            "mitigate": [
                "Stop and start (or replace) an impaired instance; fail over away from a failing node.",
                "Recycle clients holding dead connections.",
                "Shift traffic to healthy zones or replicas.",
            ],
            "fix": [
                "Redundancy across zones and clients that reconnect after a failover.",
                "Auto recovery on status checks and action on scheduled events.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} の下で何が起きたかを確認する: EC2 のステータスチェックと予定されたイベント、RDS や "
                "ElastiCache のイベント（フェイルオーバー、再起動、ノード交換）と、その時刻を最初のエラーと比べる。",
                "インスタンスが異常なら停止して起動する（正常なハードウェアに移る。再起動では移らない）か、Auto "
                "Scaling グループで置き換える。DB がフェイルオーバーしたなら、新しいプライマリが応答していることを"
                "確認し、クライアントを再接続させる。",
                "古いノードへの接続を持ち続けるプールや、そのアドレスをキャッシュしたクライアントを再起動する。",
            ],
            "long_term": [
                "すべてをゾーンをまたいで複数動かし（Auto Scaling グループ、マルチ AZ、レプリカ）、1 台の故障を"
                "吸収できるようにする。",
                "クライアントがフェイルオーバーを乗り切れるようにする: DNS キャッシュの短い TTL、接続の検証と"
                "バックオフ付きリトライ、DB の前段に RDS Proxy。",
                "予定されたイベントには期日前に対応し、StatusCheckFailed のアラームと自動復旧を設定する。",
            ],
            "triage": [
                "{resource} のステータスチェック、予定されたイベント、サービスイベント: 何がいつ起きたか。",
                "エラーはフェイルオーバー、再起動、ステータスチェックの時点で始まったか、もう止まったか。",
                "リソースは回復したか（新しいプライマリ、置き換えたインスタンス）。",
            ],
            "mitigate": [
                "異常なインスタンスは停止して起動（または置き換え）し、故障したノードからフェイルオーバーする。",
                "切れた接続を持つクライアントを入れ替える。",
                "正常なゾーンやレプリカにトラフィックを移す。",
            ],
            "fix": [
                "ゾーンをまたぐ冗長化と、フェイルオーバー後に再接続するクライアント。",
                "ステータスチェックでの自動復旧と、予定されたイベントへの対応。",
            ],
        },
    },
    "nat_gateway_exhaustion": {
        "en": {
            "short_term": [
                "Read ErrorPortAllocation, PacketsDropCount and ActiveConnectionCount of {resource}: which "
                "minute did they start, and which destinations take the connections (VPC Flow Logs)?",
                "Reuse connections: turn on keep-alive and connection pooling in the HTTP and SDK clients that "
                "call out, and lower retries that open a new connection each time.",
                "Move AWS service traffic off the gateway now: add gateway endpoints for S3 and DynamoDB and "
                "interface endpoints for the other services the private subnets call.",
                "Add secondary IP addresses to {resource} (up to 8 in all): each gives another 55,000 "
                "connections per destination.",
            ],
            "long_term": [
                "Spread outbound traffic: one NAT gateway per Availability Zone, and endpoints for AWS "
                "services, so no gateway carries traffic it does not need to.",
                "Alarm on ErrorPortAllocation above 0 and on PacketsDropCount against its usual level.",
                "Keep outbound connections few and long-lived (pooling, HTTP/2), especially towards one "
                "destination.",
            ],
            "triage": [
                "ErrorPortAllocation and PacketsDropCount of {resource}: rising with the symptoms?",
                "Service logs: connect timeouts to outside hosts (not read timeouts)?",
                "VPC Flow Logs: the destinations with the most new connections through the gateway.",
            ],
            "mitigate": [
                "Enable keep-alive and pooling in the callers; lower retries.",
                "Add VPC endpoints for AWS services and secondary addresses to {resource}.",
            ],
            "fix": [
                "One gateway per AZ, endpoints for AWS services, alarms on port allocation errors.",
                "Connection reuse as a rule for every outbound client.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} の ErrorPortAllocation、PacketsDropCount、ActiveConnectionCount "
                "を確認する: 何分から増えたか、接続がどの宛先に集中しているか（VPC フローログ）。",
                "接続を再利用する: 外部を呼ぶ HTTP クライアントや SDK でキープアライブと接続プールを有効にし、"
                "毎回新しい接続を張るリトライを減らす。",
                "AWS サービスへの通信をゲートウェイから外す: S3 と DynamoDB にはゲートウェイエンドポイント、"
                "その他のサービスにはインターフェイスエンドポイントを追加する。",
                "{resource} にセカンダリ IP アドレスを追加する（合計 8 個まで）: 1 個ごとに宛先あたり 55,000 "
                "接続が増える。",
            ],
            "long_term": [
                "外向き通信を分散する: AZ ごとに NAT ゲートウェイを置き、AWS サービスにはエンドポイントを使う。",
                "ErrorPortAllocation が 0 を超えたとき、PacketsDropCount が通常より多いときにアラームを出す。",
                "外向きの接続は少数・長寿命にする（接続プール、HTTP/2）。特に同じ宛先への接続。",
            ],
            "triage": [
                "{resource} の ErrorPortAllocation と PacketsDropCount は症状と同時に増えているか。",
                "サービスのログ: 外部ホストへの接続タイムアウト（読み取りタイムアウトではない）が出ているか。",
                "VPC フローログ: ゲートウェイ経由の新規接続が多い宛先。",
            ],
            "mitigate": [
                "呼び出し側でキープアライブと接続プールを有効にし、リトライを減らす。",
                "AWS サービス用の VPC エンドポイントと、{resource} へのセカンダリアドレスを追加する。",
            ],
            "fix": [
                "AZ ごとのゲートウェイ、AWS サービス用のエンドポイント、ポート割り当てエラーのアラーム。",
                "すべての外向きクライアントで接続を再利用する。",
            ],
        },
    },
    "certificate_expiry": {
        "en": {
            "short_term": [
                "Check which certificate is refused and its dates: `openssl s_client -connect HOST:443 "
                "-servername HOST` (notAfter), or the certificate of {resource} in ACM.",
                "Our certificate: import a renewed one into ACM (re-import under the same ARN keeps every "
                "listener and distribution using it), or complete the pending DNS validation.",
                "A partner's certificate: tell its owner now; do not turn off certificate verification.",
                "Restart or redeploy clients that cache the old certificate or a pinned chain.",
            ],
            "long_term": [
                "Use ACM-issued certificates with DNS validation, which renew by themselves while in use.",
                "Alarm on DaysToExpiry below 30 (45 for imported certificates) and watch ACM's expiry events "
                "in EventBridge.",
                "Keep an inventory of the outside endpoints the service calls and check their expiry.",
            ],
            "triage": [
                "Which endpoint: our load balancer or API, or a host we call?",
                "notAfter of the certificate served (openssl s_client), and ACM's renewal status.",
                "Since when do handshakes fail, and which clients?",
            ],
            "mitigate": [
                "Import or renew the certificate and attach it where it is used.",
                "For a partner's certificate, reach its owner; keep verification on.",
            ],
            "fix": [
                "ACM-issued certificates with DNS validation; alarms and events on expiry.",
                "Rotate imported certificates from a scheduled job, well before notAfter.",
            ],
        },
        "ja": {
            "short_term": [
                "拒否されている証明書とその有効期限を確認する: `openssl s_client -connect HOST:443 "
                "-servername HOST` の notAfter、または ACM の {resource} の証明書。",
                "自社の証明書なら: 更新した証明書を ACM に再インポートする（同じ ARN "
                "への再インポートなら利用中のリスナーやディストリビューションはそのまま）か、保留中の DNS "
                "検証を完了する。",
                "取引先の証明書なら: すぐに先方へ連絡する。証明書の検証は無効にしない。",
                "古い証明書やピン留めしたチェーンをキャッシュしているクライアントを再起動・再デプロイする。",
            ],
            "long_term": [
                "DNS 検証の ACM 発行証明書を使う（利用中であれば自動で更新される）。",
                "DaysToExpiry が 30 日（インポート証明書は 45 日）を切ったらアラームを出し、EventBridge で ACM "
                "の期限イベントを受け取る。",
                "サービスが呼び出す外部エンドポイントの一覧を作り、その期限も確認する。",
            ],
            "triage": [
                "対象はどのエンドポイントか: 自社のロードバランサー・API か、呼び出し先のホストか。",
                "提供されている証明書の notAfter（openssl s_client）と ACM の更新状況。",
                "いつからどのクライアントのハンドシェイクが失敗しているか。",
            ],
            "mitigate": [
                "証明書をインポートまたは更新し、利用箇所に関連付ける。",
                "取引先の証明書なら先方に連絡する。検証は有効のままにする。",
            ],
            "fix": [
                "DNS 検証の ACM 発行証明書、期限のアラームとイベント。",
                "インポート証明書は notAfter より十分前に定期ジョブで差し替える。",
            ],
        },
    },
    "credentials_failure": {
        "en": {
            "short_term": [
                "Find which credential is refused and by whom: the database user, the access key or role, "
                "the KMS key in the error; and what changed {resource} (CloudTrail).",
                "After a secret rotation: make sure the database and the secret agree (AWSCURRENT works with "
                "psql/mysql), else move AWSCURRENT back to AWSPREVIOUS.",
                "Make the service read the secret again: restart tasks or functions that cached the old "
                "value.",
                "After an IAM or KMS change: restore the permission or key policy that was removed, or "
                "reactivate the key, then rotate properly.",
            ],
            "long_term": [
                "Read secrets through a cache that refreshes on authentication failure (Secrets Manager "
                "caching client, Powertools parameters with max_age), never once at start-up.",
                "Rotate with the alternating-users strategy so the previous password keeps working while "
                "clients catch up; test rotation in staging.",
                "Use roles and short-lived credentials instead of long-lived access keys; alarm on "
                "authentication failures.",
            ],
            "triage": [
                "The refused credential: which user, key, role or KMS key does the error name?",
                "CloudTrail: RotateSecret, PutSecretValue, access key or policy changes just before.",
                "Does the current secret value work by hand?",
            ],
            "mitigate": [
                "Restart the clients holding the old value, or move AWSCURRENT back.",
                "Restore the removed permission or key policy.",
            ],
            "fix": [
                "Secret caching with refresh on failure; alternating-users rotation.",
                "Short-lived role credentials; alarms on authentication errors.",
            ],
        },
        "ja": {
            "short_term": [
                "どの認証情報が誰に拒否されているかを特定する: エラーにある DB ユーザー、アクセスキーやロール、"
                "KMS キー。{resource} を何が変更したか（CloudTrail）。",
                "シークレットのローテーション後なら: DB とシークレットが一致しているか確認する（AWSCURRENT "
                "で psql/mysql に接続できるか）。一致しなければ AWSCURRENT を AWSPREVIOUS に戻す。",
                "サービスにシークレットを再取得させる: 古い値をキャッシュしているタスクや関数を再起動する。",
                "IAM や KMS の変更後なら: 削除された権限やキーポリシーを戻すか、キーを再有効化し、"
                "改めて正しくローテーションする。",
            ],
            "long_term": [
                "シークレットは起動時に 1 度だけ読まず、認証失敗時に更新するキャッシュ経由で読む（Secrets "
                "Manager のキャッシュクライアント、Powertools の max_age）。",
                "交代ユーザー方式でローテーションし、クライアントが追いつくまで旧パスワードも使えるようにする。"
                "ステージングでローテーションを試験する。",
                "長期のアクセスキーではなくロールと短期の認証情報を使い、認証失敗にアラームを設定する。",
            ],
            "triage": [
                "拒否された認証情報: エラーに出ているユーザー、キー、ロール、KMS キーはどれか。",
                "CloudTrail: 直前の RotateSecret、PutSecretValue、アクセスキーやポリシーの変更。",
                "現在のシークレットの値で手動接続できるか。",
            ],
            "mitigate": [
                "古い値を持つクライアントを再起動するか、AWSCURRENT を戻す。",
                "削除された権限やキーポリシーを戻す。",
            ],
            "fix": [
                "失敗時に更新するシークレットキャッシュ、交代ユーザー方式のローテーション。",
                "短期のロール認証情報、認証エラーのアラーム。",
            ],
        },
    },
    "dynamodb_throttling": {
        "en": {
            "short_term": [
                "Compare consumed with provisioned capacity of {resource} (and of each global secondary index): "
                "which side, reads or writes, and which index is throttled?",
                "Raise the provisioned capacity of the throttled side (UpdateTable), or the auto scaling maximum "
                "if scaling already sits at it; mind the limit on decreases per day.",
                "If consumption is far below the table's capacity, look for a hot key (Contributor Insights) and "
                "slow down the job or client writing to it.",
            ],
            "long_term": [
                "Size capacity from peak traffic, or switch {resource} to on-demand if its traffic is spiky; "
                "give auto scaling a maximum above the known peaks.",
                "Spread writes across partition keys (write sharding) and keep batch jobs from bursting.",
                "Alarm on consumed capacity at 80% of provisioned, and retry throttled calls with backoff and jitter.",
            ],
            "triage": [
                "ReadThrottleEvents/WriteThrottleEvents of {resource} and its indexes: which one, since when?",
                "Consumed against provisioned capacity, and the auto scaling target's min/max.",
                "Any capacity, scaling or new batch-job change in CloudTrail just before?",
            ],
            "mitigate": [
                "Raise the throttled side's capacity (or the scaling maximum) on {resource}.",
                "Pause or slow the batch job or client that floods one key.",
                "Switch the table to on-demand if the surge is short and unpredictable.",
            ],
            "fix": [
                "Size capacity and scaling limits from peaks, or use on-demand.",
                "Design keys to spread load; alarm before the limit.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource}（および各グローバルセカンダリインデックス）の消費容量とプロビジョンド容量を比べ、"
                "読み込みと書き込みのどちら、どのインデックスがスロットリングされているかを確認する。",
                "スロットリングされている側のプロビジョンド容量を引き上げる（UpdateTable）。"
                "Auto Scaling が上限に達しているなら上限を引き上げる。1 日の減少回数の制限に注意する。",
                "消費量がテーブルの容量より大幅に少ないなら、ホットキーを探し（Contributor Insights）、"
                "そのキーに書き込むジョブやクライアントを減速させる。",
            ],
            "long_term": [
                "ピーク時のトラフィックから容量を見積もるか、トラフィックが不規則なら {resource} を"
                "オンデマンドに切り替える。Auto Scaling の上限は既知のピークより上にする。",
                "書き込みをパーティションキーに分散させ（書き込みシャーディング）、バッチジョブのバーストを抑える。",
                "消費容量がプロビジョンド容量の 80% に達したらアラームを出し、スロットリングされた呼び出しは"
                "バックオフとジッター付きでリトライする。",
            ],
            "triage": [
                "{resource} とそのインデックスの ReadThrottleEvents/WriteThrottleEvents: どれが、いつからか。",
                "消費容量とプロビジョンド容量、Auto Scaling ターゲットの最小値と最大値。",
                "直前に容量、スケーリング、新しいバッチジョブの変更が CloudTrail にないか。",
            ],
            "mitigate": [
                "{resource} のスロットリングされている側の容量（またはスケーリングの上限）を引き上げる。",
                "特定のキーに集中させているバッチジョブやクライアントを停止または減速する。",
                "短く予測できない急増なら、テーブルをオンデマンドに切り替える。",
            ],
            "fix": [
                "ピークから容量とスケーリング上限を見積もるか、オンデマンドにする。",
                "負荷が分散するキー設計にし、上限に達する前にアラームを出す。",
            ],
        },
    },
    "api_throttling": {
        "en": {
            "short_term": [
                "Find which limit refuses the requests through {resource}: the stage's or a method's throttle, "
                "a usage plan's, the account's per-region limit, or an AWS API's rate limit the code calls.",
                "If the traffic is legitimate, raise that limit (stage or usage-plan throttle; a quota increase "
                "in Service Quotas for the account or an AWS API).",
                "If one client or API key causes it, slow that client down rather than raising the limit for all.",
            ],
            "long_term": [
                "Set per-client usage plans so one client cannot use up the stage's or account's limit.",
                "Make callers retry 429s and throttling errors with exponential backoff and jitter, and cache "
                "what they read often (configuration, parameters, secrets) instead of calling per request.",
                "Alarm on requests per second at 80% of the limit, and on 429s separately from other 4XX.",
            ],
            "triage": [
                "4XX and Count of {resource} (or the throttling errors in the logs): since when, how many?",
                "The stage's, usage plans' and account's rate and burst limits against the peak request rate.",
                "Did traffic rise, or did a limit change (stage or usage-plan update in CloudTrail)?",
            ],
            "mitigate": [
                "Throttle or block the client that floods {resource}.",
                "Raise the limit that refuses legitimate traffic.",
                "Request a quota increase for the account or the AWS API.",
            ],
            "fix": [
                "Per-client usage plans, caching and backoff in callers.",
                "Alarm on the request rate before the limit.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} 経由のリクエストを拒否している上限を特定する: ステージやメソッドのスロットリング、"
                "使用量プラン、アカウントのリージョン単位の上限、またはコードが呼ぶ AWS API のレート制限。",
                "正当なトラフィックなら、その上限を引き上げる（ステージや使用量プランのスロットリング、"
                "アカウントや AWS API は Service Quotas で上限緩和を申請）。",
                "特定のクライアントや API キーが原因なら、全体の上限ではなくそのクライアントを減速させる。",
            ],
            "long_term": [
                "1 つのクライアントがステージやアカウントの上限を使い切らないよう、クライアントごとの使用量プランを設定する。",
                "呼び出し側は 429 やスロットリングエラーを指数バックオフとジッター付きでリトライし、"
                "頻繁に読むもの（設定、パラメータ、シークレット）はリクエストごとに呼ばずキャッシュする。",
                "リクエストレートが上限の 80% に達したらアラームを出し、429 は他の 4XX と分けて監視する。",
            ],
            "triage": [
                "{resource} の 4XX と Count（またはログ中のスロットリングエラー）: いつから、何件か。",
                "ステージ、使用量プラン、アカウントのレートとバースト上限をピーク時のリクエストレートと比べる。",
                "トラフィックが増えたのか、上限が変わったのか（CloudTrail のステージや使用量プランの更新）。",
            ],
            "mitigate": [
                "{resource} に大量のリクエストを送っているクライアントを制限または遮断する。",
                "正当なトラフィックを拒否している上限を引き上げる。",
                "アカウントや AWS API の上限緩和を申請する。",
            ],
            "fix": [
                "クライアントごとの使用量プラン、呼び出し側のキャッシュとバックオフ。",
                "上限に達する前にリクエストレートでアラームを出す。",
            ],
        },
    },
    "consumer_lag": {
        "en": {
            "short_term": [
                "Compare what arrives in {resource} per minute with what the consumer processes: is the "
                "consumer slower per record, capped in concurrency, or stuck on a shard or message group?",
                "Give the consumer more parallelism: raise its reserved or maximum concurrency, the event "
                "source mapping's batch size or parallelization factor, or the number of workers.",
                "If one slow dependency of the consumer holds it up, fix or bypass that dependency first.",
            ],
            "long_term": [
                "Size the consumer for peak arrivals with headroom (shards, parallelization factor, concurrency).",
                "Keep each record's processing short: batch writes, move slow calls out of the hot path.",
                "Alarm on the age growing for several minutes (iterator age or age of the oldest message), "
                "well before the stream's retention or the queue's message retention.",
            ],
            "triage": [
                "The age of the oldest record or message in {resource}: still growing, or catching up?",
                "Incoming records or messages against what the consumer processes per minute.",
                "The consumer's Duration, ConcurrentExecutions, Throttles and errors.",
            ],
            "mitigate": [
                "Add consumer capacity (concurrency, parallelization factor, workers).",
                "Unblock the slow dependency or the stuck shard.",
                "If data older than the retention would be lost, extend the retention now.",
            ],
            "fix": [
                "Size consumers for peaks and keep per-record work short.",
                "Alarm on sustained age growth, well before retention.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} に 1 分あたり届く量とコンシューマーの処理量を比べる: 1 件あたりが遅いのか、"
                "同時実行数で頭打ちか、特定のシャードやメッセージグループで止まっているのか。",
                "コンシューマーの並列度を上げる: 予約または最大同時実行数、イベントソースマッピングの"
                "バッチサイズや並列化係数、ワーカー数を引き上げる。",
                "コンシューマーが遅い依存先で止まっているなら、先にその依存先を直すか迂回する。",
            ],
            "long_term": [
                "ピーク時の到着量に余裕を持ってコンシューマーを見積もる（シャード数、並列化係数、同時実行数）。",
                "1 件あたりの処理を短くする: 書き込みをまとめ、遅い呼び出しを処理経路から外す。",
                "ストリームやキューの保持期間よりずっと前に、年齢（イテレーターエイジ、最古メッセージの経過時間）が"
                "数分間伸び続けたらアラームを出す。",
            ],
            "triage": [
                "{resource} の最古のレコードやメッセージの経過時間: まだ伸びているか、追いつきつつあるか。",
                "到着するレコードやメッセージの量と、コンシューマーの 1 分あたりの処理量。",
                "コンシューマーの Duration、ConcurrentExecutions、Throttles、エラー。",
            ],
            "mitigate": [
                "コンシューマーの処理能力を増やす（同時実行数、並列化係数、ワーカー）。",
                "遅い依存先や止まっているシャードを解消する。",
                "保持期間を過ぎたデータが失われるなら、今すぐ保持期間を延ばす。",
            ],
            "fix": [
                "ピークに合わせてコンシューマーを見積もり、1 件あたりの処理を短くする。",
                "保持期間よりずっと前に、年齢の継続的な伸びでアラームを出す。",
            ],
        },
    },
    "replication_lag": {
        "en": {
            "short_term": [
                "Check the lag of {resource} and the source's write load: is the source writing more than "
                "usual, or is the replica short of CPU, I/O or memory to replay it?",
                "Move reads that need fresh data to the source (or the cluster's writer endpoint) until the "
                "replica catches up.",
                "Stop or slow the bulk write, migration or long transaction on the source that the replica "
                "cannot keep up with.",
            ],
            "long_term": [
                "Give the replica the same class and storage throughput as the source.",
                "Split bulk writes into small batches and avoid long transactions on the source.",
                "Alarm on sustained replica lag, and have the application tolerate or route around stale reads.",
            ],
            "triage": [
                "ReplicaLag (or AuroraReplicaLag) of {resource}: still growing, or catching up?",
                "The source's write load (WriteIOPS, CPU) and long-running transactions just before.",
                "The replica's CPU, FreeableMemory and I/O: can it replay as fast as the source writes?",
            ],
            "mitigate": [
                "Route fresh reads to the source until {resource} catches up.",
                "Pause the bulk write on the source.",
                "Scale the replica up if it is short of resources.",
            ],
            "fix": [
                "Size the replica like the source; batch bulk writes.",
                "Alarm on sustained lag; tolerate stale reads in the application.",
            ],
        },
        "ja": {
            "short_term": [
                "{resource} の遅延とソースの書き込み負荷を確認する: ソースの書き込みが通常より多いのか、"
                "レプリカの CPU、I/O、メモリが適用に足りないのか。",
                "レプリカが追いつくまで、最新のデータが必要な読み込みはソース（またはクラスターの"
                "ライターエンドポイント）に向ける。",
                "レプリカが追いつけない、ソース上の一括書き込み、マイグレーション、長いトランザクションを停止または減速する。",
            ],
            "long_term": [
                "レプリカにソースと同じインスタンスクラスとストレージ性能を与える。",
                "一括書き込みを小さなバッチに分け、ソースでの長いトランザクションを避ける。",
                "レプリカ遅延の継続でアラームを出し、アプリケーションが古い読み込みを許容するか迂回できるようにする。",
            ],
            "triage": [
                "{resource} の ReplicaLag（または AuroraReplicaLag）: まだ伸びているか、追いつきつつあるか。",
                "直前のソースの書き込み負荷（WriteIOPS、CPU）と長時間実行中のトランザクション。",
                "レプリカの CPU、FreeableMemory、I/O: ソースの書き込みと同じ速さで適用できているか。",
            ],
            "mitigate": [
                "{resource} が追いつくまで、最新の読み込みをソースに向ける。",
                "ソースでの一括書き込みを一時停止する。",
                "リソースが足りないならレプリカをスケールアップする。",
            ],
            "fix": [
                "レプリカをソースと同等に見積もり、一括書き込みをバッチに分ける。",
                "遅延の継続でアラームを出し、アプリケーションで古い読み込みを許容する。",
            ],
        },
    },
}


# What a placeholder says when the caller has no value for it.
NEUTRAL: dict[str, dict[Lang, str]] = {
    "resource": {"en": "the affected resource", "ja": "対象リソース"},
    "change": {"en": "the most recent change", "ja": "直前の変更"},
    "rollback": {
        "en": "return to the previous version or configuration",
        "ja": "前のバージョンまたは設定に戻す",
    },
}
_UNKNOWN: dict[Lang, str] = {"en": "the item concerned", "ja": "該当箇所"}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _fill(steps: list[str], values: Mapping[str, str], lang: Lang) -> list[str]:
    def value(match: re.Match[str]) -> str:
        return values.get(match.group(1)) or _UNKNOWN[lang]

    return [_PLACEHOLDER.sub(value, step) for step in steps]


def plan(
    category: str, resource: str | None, lang: Lang, details: Mapping[str, str] | None = None
) -> tuple[Actions, Runbook]:
    """Actions and runbook for a category; categories without a play get the inconclusive one.

    ``details`` fills placeholders other than ``{resource}`` (for a deployment regression:
    ``change`` and ``rollback``); missing or empty values read as a neutral phrase.
    """
    play = PLAYBOOK.get(category, PLAYBOOK["inconclusive"])[lang]
    values = {key: phrases[lang] for key, phrases in NEUTRAL.items()}
    for key, text in (details or {}).items():
        cleaned = text.strip().rstrip(".。")  # the steps end their own sentences
        if cleaned:
            values[key] = cleaned
    if resource:
        values["resource"] = resource
    return (
        Actions(
            short_term=_fill(play["short_term"], values, lang),
            long_term=_fill(play["long_term"], values, lang),
        ),
        Runbook(
            triage=_fill(play["triage"], values, lang),
            mitigate=_fill(play["mitigate"], values, lang),
            fix=_fill(play["fix"], values, lang),
        ),
    )
