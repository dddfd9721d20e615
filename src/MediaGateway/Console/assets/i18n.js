// Chinese first, English switchable. The API's own messages are bilingual ("中文 / English"): pick() shows one half.
const LANG_KEY = 'mg.console.lang';

const texts = {
  console: ['控制台', 'Console'],
  signIn: ['登录', 'Sign in'], signOut: ['退出', 'Sign out'], language: ['English', '中文'],
  tokenLabel: ['访问令牌（API 密钥或身份提供方签发的 JWT）', 'Access token (API key or a JWT from the identity provider)'],
  tokenHelp: ['令牌只保存在本浏览器标签页中，关闭即失效；控制台的每个操作都以你的身份调用同一套 API。',
    'The token stays in this browser tab only; every action of the console calls the same API as you.'],
  signInFailed: ['令牌无效或已过期', 'The token is unknown or expired'],
  navItems: ['内容', 'Items'], navCompose: ['撰写', 'Compose'], navQueue: ['待审', 'Review queue'],
  navAccounts: ['账号', 'Accounts'], navWebhooks: ['事件推送', 'Webhooks'],
  loading: ['加载中…', 'Loading…'], none: ['暂无', 'None'], back: ['返回', 'Back'],
  mine: ['我提交的', 'Mine'], all: ['全部', 'All'], refresh: ['刷新', 'Refresh'],
  title: ['标题', 'Title'], summary: ['摘要', 'Summary'], author: ['作者', 'Author'], body: ['正文（Markdown）', 'Body (Markdown)'],
  link: ['原文链接', 'Link'], cover: ['封面图片', 'Cover image'], uploadImage: ['插入正文图片', 'Insert an image into the body'],
  category: ['类别', 'Category'], documentNumber: ['文号', 'Document number'], issuedOn: ['印发日期', 'Issued on'],
  interpretedDocument: ['所解读文件', 'Document interpreted'], activityEndsAt: ['活动结束时间', 'Activity ends at'],
  publishAt: ['定时发布（留空即审发后发布）', 'Publish at (empty = as soon as approved)'],
  agencies: ['涉及的其他机关（每行一个）', 'Other agencies involved (one per line)'],
  sensitive: ['涉及重大敏感事项（须会商）', 'Major sensitive matter (needs a consultation)'],
  targets: ['发布账号', 'Target accounts'], noTargets: ['你的部门没有可运营的账号', 'Your department operates no account'],
  submit: ['提交审核', 'Submit for review'], saveRevision: ['保存为新修订并重新送审', 'Save as a new revision and restart review'],
  preview: ['预览', 'Preview'], wechatPreview: ['公众号文章', 'WeChat article'], weiboPreview: ['微博', 'Weibo post'],
  findings: ['规则检查', 'Rule findings'], noFindings: ['未发现问题', 'Nothing found'],
  severity: ['级别', 'Severity'], field: ['位置', 'Field'], matched: ['命中', 'Matched'], reason: ['原因', 'Reason'], source: ['清单条目', 'List entry'],
  sev_block: ['阻断', 'Block'], sev_flag: ['提示确认', 'Flag'], sev_info: ['参考', 'Info'],
  issues: ['排版提示', 'Rendering notes'], chars: ['字', 'characters'],
  status: ['状态', 'Status'], createdAt: ['提交时间', 'Submitted'], createdBy: ['提交人', 'Author'], revision: ['修订', 'Revision'],
  st_changesRequired: ['须修改', 'Changes required'], st_inReview: ['审核中', 'In review'], st_rejected: ['已退回', 'Rejected'],
  st_approved: ['已审发', 'Approved'], st_withdrawn: ['已撤稿', 'Withdrawn'],
  // A publication's status (the API's `status`), the same words in the list, item page, calendar, sign-off sheet and reports.
  ps_scheduled: ['已排期', 'Scheduled'], ps_waiting: ['等待中', 'Waiting'], ps_publishing: ['发布中', 'Publishing'],
  ps_published: ['已发布', 'Published'], ps_failed: ['发布失败', 'Failed'], ps_retracted: ['已撤回', 'Retracted'],
  ps_needsDecision: ['待人工确认', 'Needs a decision'], ps_cancelled: ['已取消', 'Cancelled'], ps_partlyPublished: ['部分发布', 'Partly published'],
  wait_paused: ['已暂停', 'paused'], wait_accountSuspended: ['账号已停用', 'the account is suspended'],
  wait_quota: ['今日群发次数已用完', 'today\'s quota is used up'], wait_quotaWeibo: ['平台发布次数已用完', 'the platform\'s posting limit is reached'],
  wait_checkingPlatform: ['正在向平台核实', 'checking with the platform'], wait_retrying: ['平台暂时出错，将重试', 'a passing platform error; it retries'],
  retracting: ['正在撤回', 'being taken down'], retractFailed: ['撤回未成功，仍在平台上', 'taking it down failed; it is still up'],
  retractedAt: ['撤回于', 'taken down'], publishedAt: ['发布于', 'published'], scheduledAt: ['定于', 'due'], untilTime: ['至', 'until'],
  chinaTime: ['时间均为北京时间', 'All times are China time'],
  rs_requested: ['待审核', 'awaiting sign-off'], rs_approved: ['已同意', 'approved'], rs_rejected: ['未同意', 'refused'],
  awaiting: ['等待', 'Awaiting'], level: ['级', 'level'],
  timeline: ['时间线', 'Timeline'], publications: ['发布情况', 'Publications'], openOnPlatform: ['在平台查看', 'Open on the platform'],
  attempts: ['尝试次数', 'Attempts'], retries: ['重试与记录', 'Retries and notes'],
  ev_created: ['提交', 'Submitted'], ev_revised: ['修订', 'Revised'], ev_withdrawn: ['撤回', 'Withdrawn'],
  ev_retraction: ['申请撤销发布', 'Retraction requested'], ev_agency: ['机关确认', 'Agency confirmed'],
  ev_consultation: ['会商登记', 'Consultation recorded'], ev_clearance: ['保密审查解除标志', 'Secrecy clearance'],
  approve: ['同意', 'Approve'], reject: ['退回', 'Reject'], decision: ['审核意见', 'Decision'], comment: ['意见', 'Comment'],
  secrecyAttested: ['我已完成保密审查（必填）', 'I attest the secrecy review was done (required)'],
  acknowledge: ['我已知悉', 'Acknowledged'], sendDecision: ['提交审核意见', 'Send the decision'],
  reviewPanel: ['审核', 'Review'], rejectedWith: ['退回意见', 'Returned with'],
  agencyConfirmations: ['相关机关确认', 'Agency confirmations'], confirmed: ['已确认', 'Confirmed'], pending: ['待确认', 'Pending'],
  confirmAgency: ['登记机关确认', 'Record the confirmation'], note: ['备注', 'Note'],
  consultation: ['会商', 'Consultation'], units: ['会商单位', 'Units'], recordConsultation: ['登记会商', 'Record the consultation'],
  clearSecrecy: ['解除密级标志（说明理由）', 'Clear the confidentiality findings (give the reason)'],
  withdraw: ['撤回', 'Withdraw'], withdrawReason: ['撤回原因', 'Why withdraw'],
  requestRetraction: ['申请撤销已发布内容', 'Ask to retract what was published'], retractionReason: ['撤销原因', 'Why retract'],
  decideRetraction: ['审核撤销申请', 'Decide the retraction'], revise: ['修改', 'Edit'],
  signoffSheet: ['审签单', 'Sign-off sheet'], print: ['打印', 'Print'],
  diff: ['与上一修订对比', 'Changes since the previous revision'], noPrevious: ['这是第一版', 'This is the first revision'],
  previousNotKept: ['上一修订未保存', 'The previous revision was not kept'],
  audit: ['登记记录（审计链）', 'Registration record (audit chain)'],
  actions: ['操作', 'Actions'], done: ['已完成', 'Done'],
  queueEmpty: ['没有等待你审核的内容', 'Nothing waits for your review'], deadline: ['时限', 'Deadline'], waitingSince: ['送审时间', 'Waiting since'],
  ownRefused: ['作者不能审核自己的内容', 'Authors never review their own items'],
  accountId: ['账号', 'Account'], platform: ['平台', 'Platform'], kind: ['类型', 'Kind'], reviewLevels: ['审核级数', 'Review levels'],
  ownership: ['主体备案', 'Ownership record'], openingUnit: ['开办单位', 'Opening unit'], supervising: ['主管部门', 'Supervising department'],
  operatingTeam: ['运维团队', 'Operating team'], responsible: ['负责人', 'Responsible person'], filing: ['备案编号', 'Filing number'],
  notPublishable: ['不可发布', 'Not publishable'], history: ['变更记录', 'History'],
  subscriptions: ['订阅', 'Subscriptions'], events: ['事件', 'Events'], deliveries: ['投递记录', 'Delivery log'],
  allEvents: ['全部事件', 'all events'], allAccounts: ['全部可见账号', 'all visible accounts'], outcome: ['结果', 'Outcome'],
  latency: ['耗时', 'Latency'], attempt: ['第几次', 'Attempt'], at: ['时间', 'At'],
  cat_NormativeDocument: ['规范性文件', 'Normative document'], cat_LivelihoodActivity: ['民生活动', 'Livelihood activity'],
  cat_PolicyInterpretation: ['政策解读', 'Policy interpretation'], cat_News: ['新闻', 'News'], cat_Emergency: ['突发事件', 'Emergency'],
  cat_ClosureNotice: ['关停公告', 'Closure notice'], cat_Other: ['其他', 'Other'],
  navDeadLetters: ['死信', 'Dead letters'], navReports: ['考核报表', 'Reports'], navCalendar: ['发布日历', 'Calendar'],
  lane_routine: ['常规', 'Routine'], lane_emergency: ['紧急', 'Emergency'], deadLettered: ['已进入死信列表', 'Dead-lettered'],
  redrive: ['重新发送', 'Re-drive'], redriveReason: ['重新发送的原因（记入审计）', 'Why send it again (audited)'],
  decide: ['作出决定', 'Decide'], decisionReason: ['决定的理由（记入审计）', 'Why (audited)'],
  candidates: ['平台上可能属于本次发布的内容', 'Posts on the platform that could be this one'],
  candidateHeld: ['已属于另一条发布记录', 'held by another publication'], candidateFree: ['未被占用', 'held by none'],
  dec_thisPost: ['就是这一条', 'This post is it'], dec_thisPostId: ['在公众号后台找到的文章编号（article_id）', 'The article_id found in the account console'],
  dec_sendAgain: ['平台上确实没有：重新发送（新建草稿）', 'Nothing is on the platform: send again (new draft)'],
  dec_earlierPostStands: ['以此前发布的内容为准，不再发送', 'The earlier post stands: send nothing'],
  dec_abandon: ['放弃，不再发送', 'Abandon: send nothing more'],
  scheduledFor: ['定时', 'Scheduled for'], deadLetterEmpty: ['没有需要人工处理的发布', 'No publication needs a person'],
  error: ['错误', 'Error'], publication: ['发布记录', 'Publication'], item: ['内容', 'Item'],
  deadlineRule: ['时限规则', 'Rule'], heldBy: ['当前环节', 'Held by'], timeLeft: ['剩余时间', 'Time left'], clockStarts: ['起算', 'Clock starts'],
  dl_running: ['计时中', 'Running'], dl_approaching: ['即将到期', 'Approaching'], dl_missed: ['已超时', 'Missed'],
  dl_met: ['按时发布', 'Met'], dl_late: ['逾期发布', 'Late'], dl_stopped: ['已停止计时', 'Stopped'], dl_unavailable: ['无法计算', 'Unavailable'],
  dl_provisional: ['暂定', 'Provisional'], provisionalYear: ['暂按法定节假日推算，待国务院放假安排公布', 'provisional: statutory holidays only, until the State Council notice'],
  pause: ['暂停发布', 'Pause'], unpause: ['恢复发布', 'Resume'], pauseReason: ['原因（记入审计）', 'Reason (audited)'],
  paused: ['已暂停', 'Paused'], held: ['平台限额暂缓', 'Held by the gateway'], running: ['正常', 'Running'], until: ['至', 'until'],
  globalPause: ['全部发布', 'All publishing'], globalPaused: ['全部发布已暂停', 'All publishing is paused'],
  globalRunning: ['全部发布正常运行', 'Publishing runs'], pauseAll: ['暂停全部发布', 'Pause all publishing'], resumeAll: ['恢复全部发布', 'Resume all publishing'],
  publishing: ['发布开关', 'Publishing'], activity: ['更新情况', 'Activity'], daysSilent: ['天未更新', 'days silent'],
  stage_active: ['正常', 'Active'], stage_warning: ['即将两周未更新', 'Nearing two weeks silent'], stage_closure: ['僵尸账号', 'Dormant'],
  stage_closed: ['已关闭', 'Closed'], stage_suspended: ['已停用', 'Suspended'],
  newSubscription: ['新建订阅', 'New subscription'], url: ['接收地址', 'URL'], description: ['说明', 'Description'],
  eventsHelp: ['事件类型（不选即全部）', 'Event types (none = all)'], accountsHelp: ['账号（不选即全部可见账号）', 'Accounts (none = all visible)'],
  create: ['创建', 'Create'], secretOnce: ['签名密钥只显示这一次，请立即保存：', 'The signing secret is shown this once — store it now:'],
  enable: ['启用', 'Enable'], disable: ['停用', 'Disable'], enabled: ['已启用', 'Enabled'], disabled: ['已停用', 'Disabled'],
  rotateSecret: ['轮换密钥', 'Rotate the secret'], deleteSub: ['删除', 'Delete'], confirmDelete: ['确定删除该订阅？', 'Delete this subscription?'],
  oldSecretUntil: ['旧密钥有效至', 'Old secret valid until'], detail: ['详情', 'Detail'], redeliver: ['重新投递', 'Redeliver'],
  requestSent: ['发送的请求', 'Request sent'], failingSince: ['持续失败自', 'Failing since'],
  from: ['起', 'From'], to: ['止', 'To'], show: ['查询', 'Show'], openCsv: ['下载 CSV', 'Download CSV'], openHtml: ['打开 HTML 报表', 'Open the HTML report'],
  unit: ['单位', 'Unit'], onTime: ['按时率', 'On time'], rejections: ['退回', 'Rejections'], failures: ['发布失败', 'Failures'],
  turnaround: ['审核用时（中位/P90 小时）', 'Review turnaround (median/p90 h)'], lastUpdate: ['最近更新', 'Last update'], departmentsRows: ['单位', 'Departments'],
  accountsRows: ['账号', 'Accounts'], scheduled: ['定时发布', 'Scheduled'], published: ['已发布', 'Published'], open: ['待发布', 'Open'],
  nearingSilence: ['即将两周未更新的账号', 'Accounts nearing two weeks of silence'], holidays: ['节假日与调休', 'Holidays and adjusted working days'],
  workingDays: ['工作日', 'working days'], year: ['年份', 'Year'],
  navHolidays: ['放假安排', 'Holiday notices'], calendarState: ['日历状态', 'Calendar'], cal_official: ['正式', 'Official'], cal_provisional: ['暂定', 'Provisional'],
  noticeSource: ['通知文号', 'Notice'], loadedBy: ['载入人', 'Loaded by'], fromFile: ['配置文件', 'Configuration file'],
  loadNotice: ['载入或替换一年的放假通知', "Load or replace a year's holiday notice"],
  noticeHelp: ['按国务院办公厅通知逐项填写：每个节日的放假起止日期（含周末）和调休上班日（周六或周日，以逗号分隔）。保存前网关检查全部内容，有误则不保存。',
    "Enter the State Council notice as published: each festival's first and last rest day (weekends included) and the weekend days worked for it (comma-separated). The gateway checks it whole; nothing is saved if anything is wrong."],
  pasteNotice: ['粘贴通知（JSON）', 'Paste a notice (JSON)'], fillFromPaste: ['填入表格', 'Fill the form'],
  pasteHelp: ['{"year": 2027, "source": "国办发明电〔2026〕…号", "holidays": [{"name": "春节", "start": "2027-02-05", "end": "2027-02-12", "adjustedWorkingDays": ["2027-02-20"]}]}', '{"year": 2027, "source": "…", "holidays": [{"name": "…", "start": "yyyy-mm-dd", "end": "yyyy-mm-dd", "adjustedWorkingDays": []}]}'],
  nf_name: ['节日', 'Festival'], nf_start: ['放假开始', 'First rest day'], nf_end: ['放假结束', 'Last rest day'], nf_adjustedWorkingDays: ['调休上班日', 'Adjusted working days'],
  addHoliday: ['增加一行', 'Add a row'], currentArrangement: ['读取该年现有安排', "Fill in the year's current arrangement"], saveNotice: ['保存通知', 'Save the notice'], noticeSaved: ['年放假安排已载入，该年为正式日历', 'notice loaded: the year is official'],
  noticeReplaced: ['年放假安排已替换', 'notice replaced'], noticeWarnings: ['已保存，但请核对：', 'Saved; please check:'],
  forbidden: ['无权操作', 'Not permitted'], conflict: ['当前状态不允许', 'Not allowed now'], invalid: ['请检查标记的字段', 'Check the marked fields'],
  // Words for the API's enums and codes (words helper, issue 21): roles, platforms, account kinds and states, error classes, rule lists.
  role_Operator: ['编辑', 'Operator'], role_Reviewer: ['审核人', 'Reviewer'], role_Department: ['部门', 'Department'],
  role_Administrator: ['管理员', 'Administrator'], role_AgencyLiaison: ['联络员', 'Agency liaison'], role_SecrecyReviewer: ['保密审查员', 'Secrecy reviewer'],
  pf_WeChat: ['微信公众号', 'WeChat'], pf_Weibo: ['微博', 'Weibo'],
  kind_WeChatSubscription: ['订阅号', 'Subscription account'], kind_WeChatService: ['服务号', 'Service account'], kind_Weibo: ['微博账号', 'Weibo account'],
  mode_FreePublish: ['发布（不推送）', 'Free publish'], mode_MassSend: ['群发', 'Mass send'],
  acct_Active: ['正常', 'Active'], acct_Suspended: ['已停用', 'Suspended'], acct_Closed: ['已关闭', 'Closed'],
  ec_Transient: ['平台暂时出错', 'Passing platform error'], ec_RateLimited: ['发送过快，平台限流', 'Rate limited'], ec_Quota: ['发布次数已用完', 'Quota used up'],
  ec_Auth: ['授权问题', 'Authorisation'], ec_Configuration: ['账号配置问题', 'Account configuration'], ec_Content: ['平台拒绝内容', 'Content refused'],
  ec_DuplicateOrSuccess: ['重复或已发布', 'Duplicate or already published'], ec_Permanent: ['平台拒绝', 'Refused for good'],
  rl_sensitive_expressions: ['错敏词库', 'Sensitive expressions'], rl_confidentiality_markers: ['密级标志', 'Confidentiality markers'],
  rl_corrections: ['常见差错', 'Corrections'], rl_leaders: ['领导人姓名职务', 'Leaders'], 'rl_allow_list': ['白名单', 'Allow list'],
  rl_line: ['第 {0} 行', 'line {0}'], rl_entry: ['条目', 'entry'],
  fld_title: ['标题', 'Title'], fld_summary: ['摘要', 'Summary'], fld_body: ['正文', 'Body'], fld_author: ['作者', 'Author'], fld_link: ['原文链接', 'Link'],
  fld_coverMediaId: ['封面图片', 'Cover image'], fld_targets: ['发布账号', 'Target accounts'], fld_category: ['类别', 'Category'],
  fld_documentNumber: ['文号', 'Document number'], fld_issuedOn: ['印发日期', 'Issued on'], fld_interpretedDocument: ['所解读文件', 'Document interpreted'],
  fld_activityEndsAt: ['活动结束时间', 'Activity ends at'], fld_publishAt: ['定时发布', 'Publish at'], fld_agencies: ['涉及的其他机关', 'Other agencies'],
  fld_sensitive: ['重大敏感事项', 'Sensitive'], fld_decision: ['审核意见', 'Decision'], fld_comment: ['意见', 'Comment'], fld_reason: ['原因', 'Reason'],
  fld_secrecyAttested: ['保密审查确认', 'Secrecy attestation'], fld_acknowledgedFindings: ['须确认的提示', 'Findings to acknowledge'],
  fld_fingerprints: ['内容版本', 'Content version'], fld_agency: ['机关', 'Agency'], fld_note: ['备注', 'Note'], fld_units: ['会商单位', 'Units'],
  fld_url: ['接收地址', 'URL'], fld_description: ['说明', 'Description'], fld_events: ['事件类型', 'Event types'], fld_accounts: ['账号', 'Accounts'],
  fld_platformId: ['平台上的编号', 'Platform id'], fld_year: ['年份', 'Year'], fld_source: ['通知文号', 'Notice'], fld_holidays: ['节日', 'Holidays'],
  fld_name: ['节日', 'Festival'], fld_start: ['放假开始', 'First rest day'], fld_end: ['放假结束', 'Last rest day'],
  fld_adjustedWorkingDays: ['调休上班日', 'Adjusted working days'], fld_from: ['起', 'From'], fld_to: ['止', 'To'], fld_paused: ['暂停', 'Paused'],
  fld_enabled: ['启用', 'Enabled'], fld_file: ['文件', 'File'], fld_department: ['单位', 'Department'],
  fld_item: ['第 {0} 项', 'item {0}'], where: ['位置', 'Where'], idHint: ['编号', 'id'],
  // variants (issue 22, decision 45): the request's field names and the compose page's words
  fld_weibo: ['微博', 'Weibo'], fld_text: ['专用文字', 'own text'], fld_pictures: ['配图', 'pictures'], fld_weChat: ['公众号', 'WeChat'],
  fld_originalLink: ['阅读原文链接', 'original link'], fld_comments: ['留言', 'comments'],
  vr_weibo: ['微博专用', 'For Weibo'], vr_weiboText: ['微博专用文字', 'Weibo text'],
  vr_weiboTextHint: ['留空则发“【标题】摘要 链接”；原文链接会自动附在末尾；连同链接不超过 140 字', 'Empty: "【title】summary link" is posted; the link is added at the end; at most 140 characters with it'],
  vr_topicsAllowed: ['可用 #话题# 的账号：{0}', 'Accounts that may post #topics#: {0}'], vr_topicsNone: ['所选微博账号都不能发 #话题#', 'None of the chosen Weibo accounts may post #topics#'],
  vr_picture: ['微博配图', 'Weibo picture'], vr_pictureCover: ['用封面图片', 'The cover image'], vr_pictureNone: ['不配图', 'No picture'],
  vr_pictureOwn: ['另选一张', 'Another image'], vr_pictureOne: ['当前微博接口每条只能带 1 张图片', 'The Weibo API in use takes one picture per post'],
  vr_weChat: ['公众号文章选项', 'WeChat article options'], vr_originalLink: ['“阅读原文”链接', '"Read the original" link'],
  vr_originalLinkHint: ['留空则用上面的原文链接', 'Empty: the link above'], vr_comments: ['留言', 'Comments'],
  vr_commentsClosed: ['关闭', 'Closed'], vr_commentsOpen: ['开启（所有人可留言）', 'Open to all'], vr_commentsFansOnly: ['开启（仅粉丝可留言）', 'Followers only'],
  evt_content_submitted: ['提交', 'Submitted'], evt_content_revised: ['修订', 'Revised'], evt_content_withdrawn: ['撤稿', 'Withdrawn'],
  evt_agency_confirmed: ['机关确认', 'Agency confirmed'], evt_consultation_recorded: ['会商登记', 'Consultation recorded'], evt_secrecy_cleared: ['解除密级标志', 'Secrecy cleared'],
  evt_review_requested: ['送审', 'Review requested'], evt_review_decided: ['审核意见', 'Review decided'], evt_content_approved: ['审发通过', 'Approved'],
  evt_content_rejected: ['退回', 'Rejected'], evt_publication_succeeded: ['发布成功', 'Published'], evt_publication_failed: ['发布失败', 'Publication failed'],
  evt_publication_retracted: ['已撤回', 'Retracted'], evt_account_token_expiring: ['账号授权即将过期', 'Account token expiring'],
  evt_account_opened: ['开设账号', 'Account opened'], evt_account_changed: ['账号变更', 'Account changed'], evt_account_suspended: ['账号停用', 'Account suspended'],
  evt_account_resumed: ['账号恢复', 'Account resumed'], evt_account_closed: ['账号关闭', 'Account closed'], evt_rules_reloaded: ['规则更新', 'Rules reloaded'],
  evt_retraction_requested: ['申请撤销发布', 'Retraction requested'], evt_retraction_decided: ['撤销申请已审核', 'Retraction decided'],
  evt_publication_dead_lettered: ['进入死信列表', 'Dead-lettered'], evt_publication_missed: ['错过发布时间', 'Publication missed'],
  evt_publication_redriven: ['重新发送', 'Re-driven'], evt_publishing_paused: ['暂停发布', 'Publishing paused'], evt_publishing_resumed: ['恢复发布', 'Publishing resumed'],
  evt_deadline_approaching: ['时限将到', 'Deadline approaching'], evt_deadline_missed: ['已超时', 'Deadline missed'], evt_account_dormant: ['账号长期未更新', 'Account dormant'],
  evt_calendar_notice_loaded: ['放假通知已载入', 'Holiday notice loaded'], evt_calendar_notice_missing: ['缺少放假通知', 'Holiday notice missing'],
  out_Pending: ['待投递', 'Pending'], out_Delivered: ['已送达', 'Delivered'], out_Failed: ['投递失败', 'Failed'],
  out_pending: ['待投递', 'Pending'], out_delivered: ['已送达', 'Delivered'], out_failed: ['投递失败', 'Failed'],
  systemActor: ['网关（系统）', 'the gateway'],
  notices: ['通知', 'Notifications'], // notify: the header's link to the notifications page
  listSep: ['、', ', '], allUnits: ['全部单位', 'All units'], openItem: ['查看内容', 'Open the item'], platformCode: ['平台代码', 'platform code'], roleNames: ['角色', 'Roles'],
  // phone: the headers of the item page's publications and audit tables (labels of their cards on a phone).
  onPlatform: ['平台上', 'On the platform'], auditEvent: ['事项', 'Event'], auditActor: ['操作人', 'By'], auditHash: ['校验值', 'Hash'],
  // The items page's search and filters (formerly that page's own table): one vocabulary for every page.
  search: ['搜索', 'Search'], searchPlaceholder: ['搜索标题或正文', 'Search titles and text'], clearFilters: ['清空', 'Clear'],
  anyState: ['全部状态', 'Any status'], anyAccount: ['全部账号', 'Any account'], anyCategory: ['全部类别', 'Any category'],
  anyDeadline: ['全部时限', 'Any deadline'], dlFilterOpen: ['未到期或已超时', 'Open'], dlFilterNone: ['无时限', 'No deadline'],
  fromDay: ['起始日期', 'From'], toDay: ['截止日期', 'To'], loadOlder: ['加载更早的', 'Load older'],
  searchPartial: ['已查到较早的记录，继续查找请点“加载更早的”', 'Stopped early in older records; “Load older” searches on'],
  noMatch: ['没有符合条件的内容', 'Nothing matches'],
  // slots (issue 22): posting slots, the schedule page, the compose page's schedule warnings
  navSchedule: ['排期', 'Schedule'], scheduleAccount: ['账号', 'Account'], postingSlots: ['发布时段', 'Posting slots'],
  noPostingSlots: ['未设置发布时段', 'no posting slots'], scheduleQueue: ['已排期', 'Scheduled'], nextSlots: ['接下来的时段', 'Next slots'],
  slotState: ['时段状态', 'Slot'], slotFree: ['空闲', 'Free'], slotTaken: ['已占用', 'Taken'], restDay: ['休息日', 'non-working day'],
  offSlot: ['不在发布时段', 'not a slot'], awaitingShort: ['待', 'Awaiting '], slotTimes: ['排期：', 'Slots: '],
  useNextFreeSlot: ['排在各账号下一个空闲时段', 'Use each account\'s next free slot'], nextFreeSlot: ['下一个空闲时段', 'next free slot'],
  scheduleNoWarnings: ['排期无冲突', 'No schedule conflicts'], fld_slot: ['发布时段', 'Slot'],
};

let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';

export function currentLang() { return lang; }

export function setLang(value) {
  lang = value === 'en' ? 'en' : 'zh';
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

export function t(key) {
  const entry = texts[key];
  return entry ? entry[lang === 'en' ? 1 : 0] : key;
}

/** One half of a bilingual "中文 / English" message from the API; the whole message when it is not split so. */
export function pick(message) {
  if (!message) return '';
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  return lang === 'en' ? message.slice(at + 3) : message.slice(0, at);
}

/** The word for a value of one of the API's enums (`prefix_Value`); the value itself only when no word is known. */
export function word(prefix, value) {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${prefix}_${value}`;
  return texts[key] ? t(key) : String(value);
}

/** An event or audit entry type ("content.submitted") in words. */
export function eventName(type) { return word('evt', String(type ?? '').replace(/[.]/g, '_')); }

/**
 * A field path from an API problem (`targets[1]`, `holidays[2].end`, `acknowledgedFindings`) in words: each part's
 * label, an index as "第 n 项". The path itself stays for the element's data attribute and tooltip.
 */
export function fieldLabel(path) {
  if (!path) return '';
  const parts = [];
  for (const m of String(path).matchAll(/([A-Za-z]+)|\[(\d+)\]/g)) {
    if (m[1]) parts.push(texts[`fld_${m[1]}`] ? t(`fld_${m[1]}`) : m[1]);
    else parts.push(t('fld_item').replace('{0}', Number(m[2]) + 1));
  }
  return parts.join(lang === 'en' ? ' ' : ' · ');
}

/** A rule finding's source ("sensitive-expressions@5164ebc99d56:12" or "confidentiality-markers:机密") as 错敏词库 · 第 12 行. */
export function ruleSource(source) {
  if (!source) return '—';
  const m = /^([a-z0-9-]+)(?:@[0-9a-f]+)?(?::(.*))?$/i.exec(source);
  if (!m) return source;
  const key = `rl_${m[1].replace(/-/g, '_')}`;
  const list = texts[key] ? t(key) : t('rl_entry');
  if (!m[2]) return list;
  return /^\d+$/.test(m[2]) ? `${list} · ${t('rl_line').replace('{0}', m[2])}` : `${list} · ${m[2]}`;
}

/** Fills every [data-t] element of a static page part. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
}

/** The review level's name in a chain of the given length: 1 初审, 2 审核, the last 审发, others 复审. */
export function levelName(level, levels = 3) {
  if (level === levels) return lang === 'en' ? 'sign-off (审发)' : '审发';
  if (level === 1) return lang === 'en' ? 'initial review (初审)' : '初审';
  if (level === 2) return lang === 'en' ? 'department review (审核)' : '审核';
  return lang === 'en' ? `additional review ${level}` : `复审${level}`;
}

setLang(lang);
