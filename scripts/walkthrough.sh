#!/usr/bin/env bash
# The README walkthrough as one script: an operator submits an article for one WeChat and one Weibo
# account, three reviewers approve it at their levels, and the publication results and the signed
# webhook event the demo department received are shown. Run it while scripts/run.sh is running.
set -euo pipefail
cd "$(dirname "$0")/.."
API=${API:-http://127.0.0.1:5380}
RECEIVER=${RECEIVER:-http://127.0.0.1:5393/hooks/city-info-office}
command -v jq >/dev/null || { echo "jq is needed: apt-get install jq" >&2; exit 1; }

OPERATOR=mgdemo-operator-li
REVIEWER1=mgdemo-reviewer1-zhao
REVIEWER2=mgdemo-reviewer2-qian
REVIEWER3=mgdemo-reviewer3-sun

step() { printf '\n== %s\n' "$*"; }
call() { curl -sS --fail-with-body "$@"; }

step "1. Operator uploads the cover image"
MEDIA=$(call -H "Authorization: Bearer $OPERATOR" -F "file=@config/demo/cover.png" "$API/api/media" | jq -r .id)
echo "media id: $MEDIA"

step "2. Operator submits an article for wx-city (WeChat) and wb-city (Weibo)"
ITEM=$(jq -n --arg media "$MEDIA" --arg stamp "$(date +%H:%M:%S)" '{
  title: "示例市优化营商环境新举措发布",
  summary: ("市政府发布优化营商环境十条新举措（" + $stamp + "）"),
  body: "市政府今日发布**优化营商环境**十条新举措，涉及审批提速、政务服务一网通办等。\n\n![封面](media:\($media))\n\n详情请见原文。",
  link: "https://www.example.gov.cn/zwgk/2026/yshj.html",
  coverMediaId: $media,
  targets: ["wx-city", "wb-city"],
  category: "News"
}' | call -H "Authorization: Bearer $OPERATOR" -H "Content-Type: application/json" -d @- "$API/api/content")
ID=$(echo "$ITEM" | jq -r .id)
echo "$ITEM" | jq '{id, status, awaitingLevel, findings: (.findings | length), fingerprints}'

for reviewer in $REVIEWER1 $REVIEWER2 $REVIEWER3; do
  step "3. $reviewer approves at their level (secrecy review attested)"
  call -H "Authorization: Bearer $reviewer" -H "Content-Type: application/json" \
    -d '{"decision":"approve","secrecyAttested":true,"comment":"同意"}' "$API/api/content/$ID/reviews" \
    | jq -c '{status, awaitingLevel, reviews: [.reviews[] | {level, reviewerId, decision}]}'
done

step "4. Waiting for both publications"
for _ in $(seq 1 60); do
  VIEW=$(call -H "Authorization: Bearer $OPERATOR" "$API/api/content/$ID")
  if [ "$(echo "$VIEW" | jq '[.publications[] | select(.state == "published" or .state == "failed")] | length')" = 2 ]; then break; fi
  sleep 0.5
done
echo "$VIEW" | jq '.publications[] | {accountId, platform, state, platformId, url, error}'

step "5. The signed webhook events the demo department's receiver got for this item"
call "$RECEIVER/events" | jq --arg id "$ID" '[.[] | select(.body.data.content.id == $id) | {type: .body.type, webhookId, signatureValid}]'
