"""What to do, per root-cause category: actions now, the permanent fix, and runbook steps.

``{resource}`` is replaced by the resource the hypothesis names. Runbooks follow one form: a
three-minute triage, recovery steps with the safest first, then the permanent fix.
"""

from __future__ import annotations

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
}


def _fill(steps: list[str], resource: str) -> list[str]:
    return [step.replace("{resource}", resource) for step in steps]


def plan(category: str, resource: str | None, lang: Lang) -> tuple[Actions, Runbook]:
    """Actions and runbook for a category; categories without a play get the inconclusive one."""
    play = PLAYBOOK.get(category, PLAYBOOK["inconclusive"])[lang]
    name = resource or ("the affected resource" if lang == "en" else "対象リソース")
    return (
        Actions(short_term=_fill(play["short_term"], name), long_term=_fill(play["long_term"], name)),
        Runbook(
            triage=_fill(play["triage"], name),
            mitigate=_fill(play["mitigate"], name),
            fix=_fill(play["fix"], name),
        ),
    )
