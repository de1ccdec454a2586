<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <location filename="../../app/ui/about.py" line="67"/>
        <source>Desktop operations console for multi-channel e-commerce order operations.</source>
        <translation>多渠道电商订单运营桌面控制台。</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="70"/>
        <source>Licence: Apache-2.0.</source>
        <translation>许可证:Apache-2.0。</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="71"/>
        <source>Bundled</source>
        <translation>随附资源</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="72"/>
        <source>Libraries</source>
        <translation>所用程序库</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="93"/>
        <source>About OrderDesk</source>
        <translation>关于 OrderDesk</translation>
    </message>
</context>
<context>
    <name>BuyerForm</name>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="100"/>
        <source>Ordinary e-invoice (普票)</source>
        <translation>数电普票</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="101"/>
        <source>Special VAT e-invoice (专票)</source>
        <translation>数电专票</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="103"/>
        <source>Company</source>
        <translation>企业</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="104"/>
        <source>Person</source>
        <translation>个人</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="105"/>
        <source>Title</source>
        <translation>抬头</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="105"/>
        <source>Taxpayer id</source>
        <translation>纳税人识别号</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="105"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="106"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="106"/>
        <source>Bank</source>
        <translation>开户行</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="106"/>
        <source>Account</source>
        <translation>银行账号</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="107"/>
        <source>E-mail</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="116"/>
        <source>Kind</source>
        <translation>发票种类</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="117"/>
        <source>Buyer</source>
        <translation>购方</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_widgets.py" line="153"/>
        <source>✓ a valid taxpayer id</source>
        <translation>✓ 纳税人识别号有效</translation>
    </message>
</context>
<context>
    <name>CacheTroubleDialog</name>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="50"/>
        <source>The local cache cannot be used</source>
        <translation>本地缓存无法使用</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="53"/>
        <source>OrderDesk found a problem with its local cache file</source>
        <translation>OrderDesk 发现本地缓存文件有问题</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="62"/>
        <source>Restore the backup of {time}</source>
        <translation>恢复 {time} 的备份</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="64"/>
        <source>Rebuild from the hub</source>
        <translation>从订单中心重建</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="65"/>
        <source>Quit now</source>
        <translation>立即退出</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="65"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="66"/>
        <source>Keep working for now</source>
        <translation>暂时继续工作</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="66"/>
        <source>Open OrderDesk</source>
        <translation>打开 OrderDesk</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="84"/>
        <source>Quit now, and OrderDesk offers to restore the automatic backup or to rebuild the cache from the hub when it starts again. Until then nothing more is synced into this file.</source>
        <translation>请立即退出:下次启动时,OrderDesk 会提供恢复自动备份或从订单中心重建缓存的选项。在此之前不会再向该文件同步任何内容。</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="91"/>
        <source>Restore the backup: the file as it was at {time}; orders and observations since then come back with the next sync.</source>
        <translation>恢复备份:文件回到 {time} 时的样子;此后的订单和状态会在下次同步时回来。</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="93"/>
        <source>Rebuild from the hub: every order comes back from the hub; print jobs, actions not yet sent and imported mapping tables are salvaged from the damaged file where they can be read.</source>
        <translation>从订单中心重建:所有订单从订单中心取回;打印任务、尚未推送的动作和导入的映射表会尽可能从损坏的文件中抢救出来。</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="95"/>
        <source>Either way the damaged file is kept beside the new one, never deleted.</source>
        <translation>无论哪种方式,损坏的文件都会保留在新文件旁边,不会删除。</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="111"/>
        <source>Restoring the backup…</source>
        <translation>正在恢复备份……</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="114"/>
        <source>Rebuilding from the hub: moving the damaged file aside, salvaging, syncing…</source>
        <translation>正在从订单中心重建:移开损坏的文件、抢救数据、同步……</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="117"/>
        <source>A rebuild needs a sign-in to the hub.</source>
        <translation>重建需要先登录订单中心。</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="133"/>
        <source>Restored from the backup of {time}.</source>
        <translation>已用 {time} 的备份恢复。</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="135"/>
        <source>Rebuilt from the hub.</source>
        <translation>已从订单中心重建。</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="137"/>
        <source>The previous file is kept at {path}.</source>
        <translation>原文件保留在 {path}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="138"/>
        <source>Salvaged and put back: actions {a} of {a_all}, print jobs {j} of {j_all}, mapping tables {m} of {m_all}.</source>
        <translation>已抢救并放回:动作 {a}/{a_all},打印任务 {j}/{j_all},映射表 {m}/{m_all}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="144"/>
        <source>Not brought back:</source>
        <translation>未能找回:</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="146"/>
        <source>Salvage report: {path}</source>
        <translation>抢救报告:{path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/cache_trouble.py" line="150"/>
        <source>The cache is usable again.</source>
        <translation>缓存已恢复可用。</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="117"/>
        <source>Check before printing</source>
        <translation>打印前请确认</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="119"/>
        <source>Print anyway (Enter)</source>
        <translation>仍然打印(回车)</translation>
    </message>
</context>
<context>
    <name>ConsistencyTab</name>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="87"/>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="92"/>
        <location filename="../../app/ui/supervision_page.py" line="99"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="92"/>
        <source>Orders</source>
        <translation>订单数</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="92"/>
        <source>Disagreeing</source>
        <translation>不一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="92"/>
        <source>Rate</source>
        <translation>差异率</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="93"/>
        <source>Kinds</source>
        <translation>不一致类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="95"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="95"/>
        <source>Calls</source>
        <translation>调用次数</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="95"/>
        <source>Call success</source>
        <translation>调用成功率</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="95"/>
        <source>Records refused</source>
        <translation>被拒记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="97"/>
        <source>Disagreeing orders per channel (%)</source>
        <translation>各渠道不一致订单占比(%)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="98"/>
        <source>Disagreeing orders per day (%)</source>
        <translation>每日不一致订单占比(%)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="99"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="99"/>
        <source>Unified id</source>
        <translation>订单域 ID</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="99"/>
        <source>Disagreements</source>
        <translation>不一致之处</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="109"/>
        <source>Orders created in the last</source>
        <translation>统计最近</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="120"/>
        <source>&lt;b&gt;API health of each source&lt;/b&gt; (the hub&apos;s ingest, last 7 days)</source>
        <translation>&lt;b&gt;各来源 API 健康度&lt;/b&gt;(订单中心接入统计,近 7 天)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="125"/>
        <source>&lt;b&gt;Disagreeing orders&lt;/b&gt; (Enter or double-click: the order&apos;s trace)</source>
        <translation>&lt;b&gt;不一致订单&lt;/b&gt;(回车或双击:查看全链路)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="142"/>
        <source>{disagreeing:,} of {orders:,} orders disagree ({rate}); bar {bar}</source>
        <translation>{orders:,} 单中 {disagreeing:,} 单三系统不一致({rate});阈值 {bar}</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="159"/>
        <source>Highlighted: channels above {bar}. Choose a channel to see its orders.</source>
        <translation>标红:差异率高于 {bar} 的渠道。选择渠道查看其订单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="185"/>
        <source>no figures from the hub (offline, or a hub without ingest statistics)</source>
        <translation>订单中心未提供数据(离线,或中枢无接入统计)</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <location filename="../../app/ui/demo.py" line="153"/>
        <source>Preparing {count} demo orders…</source>
        <translation>正在准备 {count} 个演示订单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/demo.py" line="154"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/demo.py" line="158"/>
        <source>OrderDesk demo</source>
        <translation>OrderDesk 演示</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <location filename="../../app/ui/words.py" line="32"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/words.py" line="34"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../app/ui/words.py" line="36"/>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/words.py" line="37"/>
        <source>{n} days</source>
        <translation>{n} 天</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../app/ui/errors.py" line="68"/>
        <source>The hub did not accept the sign-in: check the user name and password.</source>
        <translation>中心未接受登录:请检查用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="70"/>
        <source>The hub cannot be reached: check the address and the network.</source>
        <translation>无法连接订单中心:请检查地址和网络。</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="73"/>
        <source>Too many failed sign-ins: try again in {minutes} min.</source>
        <translation>登录失败次数过多:请 {minutes} 分钟后再试。</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="74"/>
        <source>The hub answered with an error ({status}): {detail}</source>
        <translation>订单中心返回错误({status}):{detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="78"/>
        <source>A file or connection failed: {detail}</source>
        <translation>文件或连接出错:{detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="79"/>
        <source>Something unexpected went wrong. The details were written to {path}.</source>
        <translation>出现意外错误。详细信息已写入 {path}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="91"/>
        <source>OrderDesk</source>
        <translation>OrderDesk 订单台</translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="19"/>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="20"/>
        <source>Receiver&apos;s phone</source>
        <translation>收件人电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="21"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="22"/>
        <source>Sender</source>
        <translation>寄件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="23"/>
        <source>Sender&apos;s phone</source>
        <translation>寄件人电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="24"/>
        <source>Sender&apos;s address</source>
        <translation>寄件地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="25"/>
        <source>Items</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="26"/>
        <source>Carrier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="27"/>
        <source>Waybill no.</source>
        <translation>运单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="28"/>
        <source>Unified id</source>
        <translation>统一订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="29"/>
        <source>Channel order no.</source>
        <translation>渠道订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="30"/>
        <source>Buyer&apos;s note</source>
        <translation>买家留言</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_widgets.py" line="31"/>
        <source>Print time</source>
        <translation>打印时间</translation>
    </message>
</context>
<context>
    <name>FinancePage</name>
    <message>
        <location filename="../../app/ui/finance_page.py" line="117"/>
        <location filename="../../app/ui/finance_page.py" line="134"/>
        <location filename="../../app/ui/finance_page.py" line="155"/>
        <source>Invoice</source>
        <translation>发票</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="117"/>
        <location filename="../../app/ui/finance_page.py" line="134"/>
        <location filename="../../app/ui/finance_page.py" line="156"/>
        <location filename="../../app/ui/finance_page.py" line="164"/>
        <source>Buyer</source>
        <translation>购方</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="118"/>
        <location filename="../../app/ui/finance_page.py" line="137"/>
        <location filename="../../app/ui/finance_page.py" line="157"/>
        <location filename="../../app/ui/finance_page.py" line="166"/>
        <location filename="../../app/ui/finance_page.py" line="187"/>
        <location filename="../../app/ui/finance_page.py" line="201"/>
        <source>Total</source>
        <translation>价税合计</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="118"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="120"/>
        <source>Save the fix (Ctrl+S)</source>
        <translation>保存修改(Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="135"/>
        <source>Signed on</source>
        <translation>签收日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="135"/>
        <location filename="../../app/ui/finance_page.py" line="168"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="136"/>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="136"/>
        <location filename="../../app/ui/finance_page.py" line="201"/>
        <source>Tax</source>
        <translation>税额</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="139"/>
        <source>Confirm the merge (Enter)</source>
        <translation>确认合并(回车)</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="140"/>
        <source>Split: each order alone</source>
        <translation>拆分:每单单独开票</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="155"/>
        <location filename="../../app/ui/finance_page.py" line="165"/>
        <location filename="../../app/ui/finance_page.py" line="187"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="156"/>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="157"/>
        <location filename="../../app/ui/finance_page.py" line="186"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="158"/>
        <source>Retry (Enter)</source>
        <translation>重试(回车)</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="164"/>
        <location filename="../../app/ui/finance_page.py" line="198"/>
        <source>Number</source>
        <translation>发票号码</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="165"/>
        <source>Issued at</source>
        <translation>开票时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="204"/>
        <source>Lock this month&apos;s order data</source>
        <translation>锁定所选月份的订单数据</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="256"/>
        <source>Issued</source>
        <translation>已开票</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="167"/>
        <source>Balance</source>
        <translation>剩余金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="104"/>
        <source>No invoice waits for data: every request has what the tax platform needs.</source>
        <translation>没有等待补资料的发票:每个开票申请都已具备税务平台所需的信息。</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="105"/>
        <source>No merge to confirm: invoices of one buyer and day appear here to be merged.</source>
        <translation>没有待确认的合并:同一购方同一天的发票会出现在这里等待合并。</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="106"/>
        <source>Nothing is being issued and nothing failed.</source>
        <translation>没有正在开具或开具失败的发票。</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="107"/>
        <source>No invoice issued yet: requests come with paid orders at the next sync.</source>
        <translation>还没有已开具的发票:开票申请随已支付订单在下次同步时到来。</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="108"/>
        <source>No red-letter invoice: open one from an issued invoice (Issued tab).</source>
        <translation>没有红字发票:可在「已开票」页从已开具的发票发起红冲。</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="112"/>
        <source>No invoice issued in this month.</source>
        <translation>本月没有开具发票。</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="169"/>
        <location filename="../../app/ui/finance_page.py" line="189"/>
        <source>Open the PDF (Enter)</source>
        <translation>打开 PDF(回车)</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="177"/>
        <source>Red-letter this order&apos;s lines</source>
        <translation>冲红此订单的行</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="180"/>
        <source>Red-letter:</source>
        <translation>冲红:</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="184"/>
        <source>Red number</source>
        <translation>红字发票号码</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="185"/>
        <source>Blue number</source>
        <translation>蓝字发票号码</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="188"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="199"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="200"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="200"/>
        <source>Blue/red</source>
        <translation>蓝/红</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="200"/>
        <source>red</source>
        <translation>红字</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="200"/>
        <source>blue</source>
        <translation>蓝字</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="202"/>
        <source>Export XLSX for Kingdee…</source>
        <translation>导出金蝶 XLSX…</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="203"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="211"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="217"/>
        <source>Monthly list</source>
        <translation>月度清单</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="255"/>
        <source>Needs data</source>
        <translation>资料缺失</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="255"/>
        <source>Merges to confirm</source>
        <translation>待确认合并</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="256"/>
        <source>Issuing / failed</source>
        <translation>开票中/失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="256"/>
        <source>Red-letter</source>
        <translation>红冲</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="280"/>
        <source>The hub refused {n} action(s); the last: {kind} {what}: {error}</source>
        <translation>订单中心拒绝了 {n} 个操作;最近一个:{kind} {what}:{error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="293"/>
        <source>{n} orders of {buyer}, signed {day}, to {address}:</source>
        <translation>{buyer} 的 {n} 个订单,{day} 签收,收货地址 {address}:</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="302"/>
        <source>Total {total}, of which tax {tax}</source>
        <translation>价税合计 {total},其中税额 {tax}</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="318"/>
        <source>{n} invoices, total {total}, tax {tax}{locked}</source>
        <translation>{n} 张发票,价税合计 {total},税额 {tax}{locked}</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="319"/>
        <source> · locked</source>
        <translation> · 已锁定</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="327"/>
        <source>{what}: waiting to go to the hub (with the next sync)</source>
        <translation>{what}:等待提交到订单中心(随下次同步)</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="337"/>
        <source>Not saved: {problems}</source>
        <translation>未保存:{problems}</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="341"/>
        <source>Nothing changed: correct the fields named above first</source>
        <translation>没有改动:请先更正上面指出的字段</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="344"/>
        <source>Fix of {invoice}</source>
        <translation>发票 {invoice} 的资料修改</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="352"/>
        <source>Merge {invoice} confirmed</source>
        <translation>已确认合并 {invoice}</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="359"/>
        <source>Merge {invoice} split</source>
        <translation>已拆分合并 {invoice}</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="368"/>
        <source>Only a failed invoice can be retried; this one is {state}</source>
        <translation>只有开票失败的发票可以重试;此发票为「{state}」</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="372"/>
        <source>Retry of {invoice}</source>
        <translation>重试发票 {invoice}</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="381"/>
        <source>Red-letter of {order} on {number}</source>
        <translation>冲红发票 {number} 上的订单 {order}</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="386"/>
        <source>Lock of {month}</source>
        <translation>锁定 {month}</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="391"/>
        <source>No month with issued invoices yet</source>
        <translation>还没有已开票的月份</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="394"/>
        <source>Save the monthly list</source>
        <translation>保存月度清单</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="400"/>
        <source>Written {path}: {rows} rows</source>
        <translation>已写入 {path}:{rows} 行</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="421"/>
        <source>Fetching the PDF of {invoice}…</source>
        <translation>正在获取发票 {invoice} 的 PDF…</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="427"/>
        <source>The PDF could not be fetched (is the hub reachable?): {error}</source>
        <translation>无法获取 PDF(订单中心可以连接吗?):{error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="431"/>
        <source>Saved {path}; no PDF viewer opened it here.</source>
        <translation>已保存 {path};本机没有可打开它的 PDF 阅读器。</translation>
    </message>
    <message>
        <location filename="../../app/ui/finance_page.py" line="433"/>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
</context>
<context>
    <name>HealthTab</name>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="148"/>
        <source>Health score per day</source>
        <translation>每日健康分</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="149"/>
        <source>Dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="149"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="149"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="149"/>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="150"/>
        <source>Good / bad</source>
        <translation>优 / 差</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="150"/>
        <source>Formula</source>
        <translation>公式</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="150"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="150"/>
        <source>What to do</source>
        <translation>怎么做</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="162"/>
        <source>Shop</source>
        <translation>店铺</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="173"/>
        <source>All shops</source>
        <translation>全部店铺</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="183"/>
        <source>Health {score}</source>
        <translation>健康分 {score}</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="188"/>
        <source>Too little data to score ({coverage} of the weight has data).</source>
        <translation>数据不足,无法评分(有数据的权重占 {coverage})。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="191"/>
        <source>Below 70: {first}</source>
        <translation>低于 70:{first}</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="194"/>
        <source>Coverage {coverage}</source>
        <translation>数据覆盖 {coverage}</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="202"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="209"/>
        <source>Enter or double-click a dimension: go where it is fixed. A dimension without data never counts as passing.</source>
        <translation>回车或双击维度:前往处理它的地方。没有数据的维度不算达标。</translation>
    </message>
</context>
<context>
    <name>InventoryPage</name>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="69"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="69"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="69"/>
        <source>Levels</source>
        <translation>水位</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="69"/>
        <source>Sellable</source>
        <translation>可售</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="70"/>
        <source>Reserved</source>
        <translation>预占</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="70"/>
        <source>Paid, not shipped</source>
        <translation>已付待发</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="70"/>
        <source>Holds</source>
        <translation>预占单</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="71"/>
        <source>Breaker</source>
        <translation>熔断</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="99"/>
        <location filename="../../app/ui/inventory_page.py" line="174"/>
        <source>Read-only: a supervisor resumes a tripped SKU.</source>
        <translation>只读:熔断的 SKU 由主管恢复。</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="111"/>
        <source>Why it is safe to sell again (required)</source>
        <translation>为什么可以恢复销售(必填)</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="112"/>
        <source>&amp;Resume selling</source>
        <translation>恢复销售(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="123"/>
        <location filename="../../app/ui/inventory_page.py" line="124"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="123"/>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="123"/>
        <source>Taken</source>
        <translation>已占用</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="123"/>
        <source>Quota</source>
        <translation>配额</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="124"/>
        <source>Expires in</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="124"/>
        <location filename="../../app/ui/inventory_page.py" line="129"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="124"/>
        <source>Reservation</source>
        <translation>预占单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="129"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="129"/>
        <source>Movement</source>
        <translation>移动</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="129"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="130"/>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="130"/>
        <source>Reference</source>
        <translation>单据</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="140"/>
        <source>Quotas</source>
        <translation>渠道配额</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="140"/>
        <source>Holds nearest expiry</source>
        <translation>即将到期的预占</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="141"/>
        <source>Movements (from the hub)</source>
        <translation>库存流水(来自订单中心)</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="153"/>
        <source>{skus} SKUs · {tripped} tripped</source>
        <translation>{skus} 个 SKU · {tripped} 个熔断</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="162"/>
        <source>TRIPPED</source>
        <translation>已熔断</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="162"/>
        <source>selling</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="181"/>
        <source>No stock yet</source>
        <translation>还没有库存</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="183"/>
        <source>The hub has not recorded any SKU. Stock arrives with the sync once the warehouse or a channel records it at the hub.</source>
        <translation>订单中心还没有记录任何 SKU。仓库或渠道在中心登记后,库存会随同步到来。</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="186"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="235"/>
        <source>pause</source>
        <translation>下架</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="235"/>
        <source>resume</source>
        <translation>上架</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="237"/>
        <source>Waiting for the channels: {actions}</source>
        <translation>等待渠道执行:{actions}</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="242"/>
        <source>Movements need the hub: signed in offline.</source>
        <translation>库存流水需要连接订单中心:当前为离线登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="248"/>
        <source>Movements need the hub: {error}</source>
        <translation>库存流水需要连接订单中心:{error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="256"/>
        <source>tripped</source>
        <translation>熔断</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="256"/>
        <source>resumed</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="258"/>
        <source>Breaker history: {lines}</source>
        <translation>熔断记录:{lines}</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="266"/>
        <source>Say why it is safe to sell again before resuming.</source>
        <translation>恢复前请说明为什么可以恢复销售。</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="276"/>
        <source>Not resumed: {error}</source>
        <translation>未恢复:{error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/inventory_page.py" line="282"/>
        <source>{sku} sells again; asked to resume the listing on: {channels}</source>
        <translation>{sku} 已恢复销售;已通知渠道重新上架:{channels}</translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message>
        <location filename="../../app/ui/packing_jobs.py" line="44"/>
        <source>No print job yet in this shift: scan an order, Enter prints its label.</source>
        <translation>本班次还没有打印任务:扫描订单,按回车打印面单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_jobs.py" line="63"/>
        <source>waiting for the printer</source>
        <translation>等待打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_jobs.py" line="64"/>
        <source>printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_jobs.py" line="65"/>
        <source>printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_jobs.py" line="66"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_jobs.py" line="67"/>
        <source>not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_jobs.py" line="68"/>
        <source>not printed: the next order was scanned</source>
        <translation>未打印:已扫描下一单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_jobs.py" line="71"/>
        <source>failed {times} times, last at {at}</source>
        <translation>已失败 {times} 次,最近一次 {at}</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_jobs.py" line="72"/>
        <source>job {job}</source>
        <translation>任务 {job}</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../app/ui/login.py" line="42"/>
        <source>Sign in to OrderDesk</source>
        <translation>登录 OrderDesk</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="49"/>
        <source>Remember me on this computer (OS keyring)</source>
        <translation>在本机记住我(系统钥匙串)</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="68"/>
        <source>Hub address</source>
        <translation>中心地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="69"/>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="70"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="77"/>
        <source>Demo users (the password is the user name): click one to fill it in</source>
        <translation>演示用户(密码与用户名相同):点击即可填入</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="88"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="89"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="101"/>
        <source>This computer has no keyring service, so the sign-in cannot be remembered: it lasts until you sign out or close OrderDesk, and signing in offline is not possible.</source>
        <translation>本机没有密钥环服务,无法记住登录:本次登录在退出登录或关闭 OrderDesk 前有效,也无法离线登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="115"/>
        <source>Enter a user name and a password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="118"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="131"/>
        <source>Press Sign in again to sign in for this session only.</source>
        <translation>再次点击“登录”即可仅为本次会话登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="139"/>
        <source>Without the hub, only {user}, who signed in here last, can sign in.</source>
        <translation>连不上中心时,只有本机上一次登录的 {user} 可以离线登录。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="81"/>
        <source>OrderDesk — {user} ({role}) @ {hub}</source>
        <translation>OrderDesk — {user}({role})@ {hub}</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="102"/>
        <source>Packing</source>
        <translation>打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="102"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="102"/>
        <source>Finance</source>
        <translation>财务</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="103"/>
        <source>Supervision</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="103"/>
        <source>Inventory</source>
        <translation>库存</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="104"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="161"/>
        <source>signed in offline</source>
        <translation>离线登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="163"/>
        <source>Sign in again</source>
        <translation>重新登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="167"/>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="187"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="188"/>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="192"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="196"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="200"/>
        <source>&amp;Sync now</source>
        <translation>立即同步(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="204"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="205"/>
        <source>&amp;About OrderDesk</source>
        <translation>关于 OrderDesk(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="266"/>
        <source>packer</source>
        <translation>打包员</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="266"/>
        <source>finance clerk</source>
        <translation>财务</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="267"/>
        <source>supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="296"/>
        <source>offline, retrying</source>
        <translation>离线,正在重试</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="298"/>
        <source>syncing…</source>
        <translation>同步中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="300"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="305"/>
        <source>Sync: {state}</source>
        <translation>同步:{state}</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="309"/>
        <source>last synced {last} · {lag} behind</source>
        <translation>上次同步 {last} · 落后 {lag}</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="311"/>
        <source>{pending} actions waiting</source>
        <translation>{pending} 个操作待发送</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="351"/>
        <source>The hub could not be told about the sign-out: the old sign-in stays valid there until it expires.</source>
        <translation>未能通知中心本次退出登录:原登录在中心仍然有效,直到过期。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="296"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="302"/>
        <source>connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="307"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>MappingsTab</name>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="370"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="370"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="370"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="370"/>
        <source>Rules</source>
        <translation>规则数</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="371"/>
        <source>Assumed</source>
        <translation>假设</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="373"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="373"/>
        <source>When</source>
        <translation>条件</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="373"/>
        <source>Then</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="373"/>
        <source>Label</source>
        <translation>含义</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="373"/>
        <source>Where it comes from</source>
        <translation>出处</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="377"/>
        <source>A raw status to try, e.g. 3</source>
        <translation>输入一个原始状态试试,例如 3</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="382"/>
        <source>&amp;Import a new version…</source>
        <translation>导入新版本(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="386"/>
        <source>Try</source>
        <translation>试映射</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="406"/>
        <source>Each channel&apos;s raw statuses and what they mean. Rows marked as assumed wait for a supervisor to confirm them.</source>
        <translation>各渠道的原始状态及其含义。标红的为假设规则,待主管确认。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="427"/>
        <source>{source} {raw}: no rule knows it (it would be an unmapped status)</source>
        <translation>{source} {raw}:没有规则认识它(会成为未映射状态)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="439"/>
        <source>A mapping table (JSON)</source>
        <translation>映射表(JSON)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="447"/>
        <source>Refused at {path}: {message}</source>
        <translation>被拒绝,位置 {path}:{message}</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="451"/>
        <source>Cannot read {file}: {error}</source>
        <translation>无法读取 {file}:{error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="455"/>
        <source>Imported {version}: in force from the next batch</source>
        <translation>已导入 {version}:下一批起生效</translation>
    </message>
</context>
<context>
    <name>MarkersDialog</name>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="154"/>
        <source>Characters that cannot print</source>
        <translation>无法打印的字符</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="155"/>
        <source>No font of this printer has these characters and they have no pinyin: they would print as markers a courier cannot read. Type what to print instead (e.g. a common character or the pinyin), or print the markers.</source>
        <translation>这台打印机的字库里没有这些字,也查不到拼音:它们会印成快递员看不懂的标记。请输入要改印的文字(如常用字或拼音),或仍按标记打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="165"/>
        <source>instead of {marker}</source>
        <translation>代替 {marker}</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="169"/>
        <source>Print the markers</source>
        <translation>按标记打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="174"/>
        <source>Print what I typed</source>
        <translation>按输入的文字打印</translation>
    </message>
</context>
<context>
    <name>OrderDetail</name>
    <message>
        <location filename="../../app/ui/order_detail.py" line="97"/>
        <location filename="../../app/ui/order_detail.py" line="104"/>
        <location filename="../../app/ui/order_detail.py" line="105"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="97"/>
        <source>Raw status</source>
        <translation>原始状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="97"/>
        <source>Observed (China time)</source>
        <translation>观测时间(北京时间)</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="98"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="98"/>
        <location filename="../../app/ui/order_detail.py" line="104"/>
        <location filename="../../app/ui/order_detail.py" line="105"/>
        <source>Operator</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="98"/>
        <source>Mapping rule</source>
        <translation>映射规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="104"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="104"/>
        <location filename="../../app/ui/order_detail.py" line="105"/>
        <location filename="../../app/ui/order_detail.py" line="114"/>
        <source>At (China time)</source>
        <translation>时间(北京时间)</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="105"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="106"/>
        <source>Action</source>
        <translation>动作</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="106"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="109"/>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="110"/>
        <location filename="../../app/ui/order_detail.py" line="123"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="111"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="112"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="113"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="116"/>
        <source>No label printed for this order yet.</source>
        <translation>该订单还没有打印过面单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="118"/>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="119"/>
        <source>Observations</source>
        <translation>状态观测</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="120"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="121"/>
        <source>Audit trail</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="122"/>
        <source>Print history</source>
        <translation>打印记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="123"/>
        <source>Blue/red</source>
        <translation>蓝/红</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="123"/>
        <source>Invoice number</source>
        <translation>发票号码</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="123"/>
        <source>Total</source>
        <translation>价税合计</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="124"/>
        <source>Buyer</source>
        <translation>购方</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="124"/>
        <source>Issued (China time)</source>
        <translation>开票时间(北京时间)</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="124"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="125"/>
        <source>No invoice for this order: one comes when the buyer asks for it.</source>
        <translation>该订单没有发票:买家申请开票后才会有。</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="126"/>
        <source>Invoices</source>
        <translation>发票</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="128"/>
        <source>Choose an order above to see its whole record: what each source observed, the timeline, the audit trail, the print history and the invoices.</source>
        <translation>在上方选择一个订单,查看它的完整记录:各来源的状态观测、时间线、审计记录、打印记录和发票。</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="162"/>
        <source>red</source>
        <translation>红字</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="162"/>
        <source>blue</source>
        <translation>蓝字</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="197"/>
        <source>Money</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="203"/>
        <source>reverses {number}</source>
        <translation>冲红蓝字发票 {number}</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="205"/>
        <source>red-lettered by {numbers}</source>
        <translation>已由红字发票 {numbers} 冲红</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="206"/>
        <source>{n} orders on this invoice</source>
        <translation>本发票含 {n} 个订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="210"/>
        <source>Fulfilment</source>
        <translation>履约状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="220"/>
        <source>Order outcome</source>
        <translation>订单最终状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="196"/>
        <location filename="../../app/ui/order_detail.py" line="210"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="171"/>
        <source>The order shown before is not among these orders. Choose one to see its details.</source>
        <translation>之前显示的订单不在当前结果中。请选择一个订单查看详情。</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="186"/>
        <source>paid {amount}</source>
        <translation>实付 {amount}</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="187"/>
        <source>paid amount unknown</source>
        <translation>实付金额未知</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="188"/>
        <source>refunded {amount}</source>
        <translation>已退 {amount}</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="195"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="195"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="195"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="196"/>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="210"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="212"/>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="213"/>
        <source>Waybill no.</source>
        <translation>运单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="214"/>
        <source>Open anomalies</source>
        <translation>未处理异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="216"/>
        <source>shop</source>
        <translation>店铺</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="216"/>
        <source>created (China time)</source>
        <translation>下单时间(北京时间)</translation>
    </message>
</context>
<context>
    <name>OrderTrace</name>
    <message>
        <location filename="../../app/ui/supervision_widgets.py" line="77"/>
        <source>Order trace</source>
        <translation>订单全链路</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_widgets.py" line="78"/>
        <source>Why it is here: {why}</source>
        <translation>为何列出:{why}</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <location filename="../../app/ui/orders_model.py" line="38"/>
        <source>Unified id</source>
        <translation>统一订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="38"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="38"/>
        <source>Channel order no.</source>
        <translation>渠道订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="38"/>
        <source>Created (China time)</source>
        <translation>下单时间(北京)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="39"/>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="39"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="39"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="39"/>
        <source>Fulfilment</source>
        <translation>履约状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="39"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="40"/>
        <source>Anomalies</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="40"/>
        <source>Waybill no.</source>
        <translation>运单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="40"/>
        <source>Label</source>
        <translation>面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="140"/>
        <source>printed</source>
        <translation>已打印</translation>
    </message>
</context>
<context>
    <name>OrdersPage</name>
    <message>
        <location filename="../../app/ui/orders_page.py" line="59"/>
        <source>Unified id, channel order no., waybill no., phone tail or name</source>
        <translation>统一订单号、渠道订单号、运单号、手机尾号或姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="63"/>
        <source>Any fulfilment</source>
        <translation>全部履约状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="70"/>
        <source>Any refund</source>
        <translation>全部退款状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="74"/>
        <source>Printed or not</source>
        <translation>打印状态不限</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="75"/>
        <source>Label printed</source>
        <translation>已打印面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="76"/>
        <source>Not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="77"/>
        <source>Open anomalies only</source>
        <translation>仅看未处理异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="78"/>
        <source>Created (China time) from</source>
        <translation>下单日期(北京时间)从</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="88"/>
        <location filename="../../app/ui/orders_page.py" line="246"/>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="92"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="141"/>
        <source>Any channel</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="188"/>
        <location filename="../../app/ui/orders_page.py" line="205"/>
        <source>searching…</source>
        <translation>查询中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="215"/>
        <source>asking the hub…</source>
        <translation>正在向订单中心查询…</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="224"/>
        <source>{count} orders</source>
        <translation>{count} 个订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="224"/>
        <source>1 order</source>
        <translation>1 个订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="232"/>
        <source>No orders in this station&apos;s cache yet</source>
        <translation>本站缓存中还没有订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="234"/>
        <source>The sync brings the hub&apos;s orders here by itself every few seconds; the status bar below says whether it reaches the hub.</source>
        <translation>同步每隔几秒会自动把订单中心的订单带到这里;下方状态栏显示能否连上中心。</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="237"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="241"/>
        <source>No order matches these filters</source>
        <translation>没有符合筛选条件的订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="243"/>
        <source>Search by unified id, channel order no., waybill no., the last digits of a phone or a name; or widen the filters above.</source>
        <translation>可按统一订单号、渠道订单号、运单号、手机尾号或姓名搜索;或放宽上方的筛选条件。</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="127"/>
        <source>Print a refused order</source>
        <translation>打印被拒绝的订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="128"/>
        <source>As a supervisor you may print it anyway: the reason is written to the audit trail.</source>
        <translation>主管可以强制打印:原因会写入审计记录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="131"/>
        <source>Why it ships anyway</source>
        <translation>为什么仍要发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="136"/>
        <source>Print with this reason</source>
        <translation>按此原因打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="143"/>
        <source>Type the reason: it goes into the audit trail.</source>
        <translation>请填写原因:它会写入审计记录。</translation>
    </message>
</context>
<context>
    <name>PackingPage</name>
    <message>
        <location filename="../../app/ui/packing_page.py" line="77"/>
        <location filename="../../app/ui/packing_page.py" line="433"/>
        <source>Scan an order to begin.</source>
        <translation>请扫描订单开始。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="97"/>
        <source>Print (Enter)</source>
        <translation>打印(回车)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="98"/>
        <source>Retry (F5)</source>
        <translation>重试(F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="99"/>
        <source>Dismiss (Del)</source>
        <translation>忽略(Del)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="100"/>
        <source>Clear (Esc)</source>
        <translation>清空(Esc)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="122"/>
        <source>Print jobs</source>
        <translation>打印任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="226"/>
        <source>cannot print: would come out as the marker {text}</source>
        <translation>无法打印:会印成标记 {text}</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="227"/>
        <source>printed as typed: {text}</source>
        <translation>按输入改印为:{text}</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="228"/>
        <source>left out: an invisible character</source>
        <translation>不可见字符,不打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="258"/>
        <source>{item} (refunded: do not pack)</source>
        <translation>{item}(已退款:不要装箱)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="260"/>
        <source>{item} (refund requested)</source>
        <translation>{item}(申请退款中)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="262"/>
        <source>In the box: {items}</source>
        <translation>装箱:{items}</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="269"/>
        <source>refund: {state}</source>
        <translation>退款:{state}</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="299"/>
        <source>Only a supervisor may print it.</source>
        <translation>只有主管可以强制打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="303"/>
        <location filename="../../app/ui/packing_page.py" line="308"/>
        <source>Not printed.</source>
        <translation>未打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="315"/>
        <source>Not printed: the marker characters need a decision.</source>
        <translation>未打印:无法打印的字符需要先处理。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="334"/>
        <source>reprint: {reason}</source>
        <translation>补打:{reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="336"/>
        <source>override: {reason}</source>
        <translation>主管强制:{reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="362"/>
        <source>{order}: set aside, not printed. Scan it again to print it later.</source>
        <translation>{order}:已搁置,未打印。之后再扫描即可打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="415"/>
        <source>Printed: job {job} — {where}</source>
        <translation>已打印:任务 {job} — {where}</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="427"/>
        <source>Job {job} failed: {error} — change the printer in Settings → Printers, then print again.</source>
        <translation>任务 {job} 失败:{error} — 请在“设置 → 打印机”中修改打印机后再打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="137"/>
        <source>Scan and print</source>
        <translation>扫描打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="75"/>
        <source>Scan: unified id, order no. or waybill no.</source>
        <translation>扫描条码:统一订单号、渠道订单号或运单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="138"/>
        <source>Rare-character queue</source>
        <translation>生僻字队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="176"/>
        <source>Looking up {code}…</source>
        <translation>正在查找 {code}…</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="224"/>
        <source>printed in the fallback font {font}</source>
        <translation>用备用字体 {font} 打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="225"/>
        <source>printed as pinyin {text}</source>
        <translation>以拼音 {text} 打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="240"/>
        <source>Every character prints as written.</source>
        <translation>所有字符均按原样打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="245"/>
        <source>Already printed by job {job}: printing again asks for a reason.</source>
        <translation>已由任务 {job} 打印:再次打印需填写原因。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="248"/>
        <source>Some characters cannot print: Enter asks what to print instead.</source>
        <translation>有字符无法打印:按回车选择改印的文字。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="250"/>
        <source>Press Enter to print.</source>
        <translation>按回车打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="327"/>
        <source>Not reprinted: a reason is needed.</source>
        <translation>未补打:需要填写原因。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="388"/>
        <source>Printing…</source>
        <translation>打印中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="424"/>
        <source>Job {job} failed: {error} — F5 retries the same label.</source>
        <translation>任务 {job} 失败:{error} — 按 F5 重试同一张面单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="134"/>
        <source>Rare-character queue ({count})</source>
        <translation>生僻字队列({count})</translation>
    </message>
</context>
<context>
    <name>PrinterDialog</name>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="42"/>
        <source>Add a printer</source>
        <translation>添加打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="42"/>
        <source>Edit printer {name}</source>
        <translation>编辑打印机 {name}</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="45"/>
        <source>e.g. packing-1</source>
        <translation>如:打包台1</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="50"/>
        <source>PDF files into a folder</source>
        <translation>PDF 文件(存入目录)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="51"/>
        <source>Network printer (raw TCP port)</source>
        <translation>网络打印机(原始 TCP 端口)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="52"/>
        <source>System print queue (CUPS)</source>
        <translation>系统打印队列(CUPS)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="54"/>
        <source>e.g. 192.168.1.50</source>
        <translation>如:192.168.1.50</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="59"/>
        <source>empty: the system&apos;s default queue</source>
        <translation>留空:使用系统默认队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="62"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="70"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="71"/>
        <source>Printer profile</source>
        <translation>打印机配置</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="72"/>
        <source>Labels go to</source>
        <translation>面单送往</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="73"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="74"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="75"/>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="76"/>
        <source>Folder</source>
        <translation>目录</translation>
    </message>
    <message>
        <location filename="../../app/ui/printer_dialog.py" line="113"/>
        <source>Folder for label files</source>
        <translation>面单文件目录</translation>
    </message>
</context>
<context>
    <name>QualityTab</name>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="201"/>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="201"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="201"/>
        <source>Warn above</source>
        <translation>警告阈值</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="201"/>
        <source>Fail above</source>
        <translation>失败阈值</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="202"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="202"/>
        <source>Checked</source>
        <translation>检查数</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="202"/>
        <source>Found</source>
        <translation>发现数</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="204"/>
        <source>The chosen check per day</source>
        <translation>所选检查项的每日趋势</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="205"/>
        <source>Open anomalies</source>
        <translation>未处理异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="205"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="205"/>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="205"/>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="207"/>
        <source>Precision: of the open anomalies of a kind, the share that were really planted; recall: of the planted ones, the share found. Measured on the demo&apos;s planted anomalies (./dev bench anomalies).</source>
        <translation>精确率:某类未处理异常中确为真实问题的占比;召回率:真实问题中被发现的占比。基于演示数据中预埋的异常测得(./dev bench anomalies)。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="224"/>
        <source>pass</source>
        <translation>达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="225"/>
        <source>warn</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="226"/>
        <source>fail</source>
        <translation>未达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="227"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="245"/>
        <source>The last 30 days. Thresholds: resources/insights/quality.json (warn / fail, as dbt and Soda).</source>
        <translation>近 30 天。阈值见 resources/insights/quality.json(警告/失败,与 dbt、Soda 相同)。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="247"/>
        <source>Anomalies: precision {precision}, recall {recall} on {orders} demo orders ({day}).</source>
        <translation>异常识别:在 {orders} 个演示订单上精确率 {precision}、召回率 {recall}({day} 测得)。</translation>
    </message>
</context>
<context>
    <name>RareQueueTab</name>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="42"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="43"/>
        <source>Characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="42"/>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="42"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="54"/>
        <source>Scan for rare characters</source>
        <translation>扫描生僻字</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="59"/>
        <source>orders of the last </source>
        <translation>最近 </translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="60"/>
        <source> days</source>
        <translation> 天的订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="64"/>
        <source>Labels that will not print as written. Enter or a double click opens one at the station.</source>
        <translation>这些面单无法按原样打印。回车或双击即可在打包台打开。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="101"/>
        <source>Scanning recent orders…</source>
        <translation>正在扫描最近的订单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="101"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="122"/>
        <source>Scan cancelled after {count} orders: nothing was queued.</source>
        <translation>已扫描 {count} 个订单后取消:未加入队列。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="125"/>
        <source>{count} orders of the last {days} days scanned: every label prints as written.</source>
        <translation>已扫描最近 {days} 天的 {count} 个订单:所有面单都能按原样打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_queue.py" line="128"/>
        <source>{count} orders scanned, {found} need attention.</source>
        <translation>已扫描 {count} 个订单,{found} 个需要处理。</translation>
    </message>
</context>
<context>
    <name>ReconciliationTab</name>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="53"/>
        <source>Part of the gap</source>
        <translation>差额构成</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="53"/>
        <source>Yuan</source>
        <translation>金额(元)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="53"/>
        <source>Orders</source>
        <translation>订单数</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="55"/>
        <source>Make-up of the gap (yuan)</source>
        <translation>差额构成(元)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="56"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="56"/>
        <source>Unified id</source>
        <translation>订单域 ID</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="56"/>
        <source>BI</source>
        <translation>BI</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="56"/>
        <source>Finance</source>
        <translation>财务</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="57"/>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="57"/>
        <source>Cause</source>
        <translation>根因</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="64"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="66"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="98"/>
        <source>All channels</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="103"/>
        <source>No payments in the cache yet: nothing to reconcile.</source>
        <translation>缓存中还没有付款记录:无可对账。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="109"/>
        <source>BI GMV {bi} · finance {finance} · gap {gap} yuan · unexplained {rate} (goal ≤ 0.5%)</source>
        <translation>BI GMV {bi} · 财务入账 {finance} · 差额 {gap} 元 · 未解释 {rate}(目标 ≤ 0.5%)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="115"/>
        <source>Choose a part to see the orders that make it up; the top 10 are shown first.</source>
        <translation>选择一项构成查看其订单;默认显示差异 TOP10。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="121"/>
        <source>Differs by {amount} yuan · {cause}</source>
        <translation>差异 {amount} 元 · {cause}</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="131"/>
        <source>&lt;b&gt;Top 10 differing orders&lt;/b&gt;</source>
        <translation>&lt;b&gt;差异 TOP10 订单&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="131"/>
        <source>&lt;b&gt;{part}&lt;/b&gt;: {n} orders</source>
        <translation>&lt;b&gt;{part}&lt;/b&gt;:{n} 单</translation>
    </message>
</context>
<context>
    <name>ReportsTab</name>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="259"/>
        <source>Make the &amp;daily report</source>
        <translation>生成日报(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="261"/>
        <source>Make last month&apos;s &amp;audit</source>
        <translation>生成上月审计报告(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="263"/>
        <source>&amp;Send now</source>
        <translation>立即推送(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="288"/>
        <source>No group robot configured: set ORDERDESK_WECOM_WEBHOOK / ORDERDESK_DINGTALK_WEBHOOK (and _SECRET) or keep them in the keyring (orderdesk-robots). Reports are still made as PDF.</source>
        <translation>尚未配置群机器人:设置 ORDERDESK_WECOM_WEBHOOK / ORDERDESK_DINGTALK_WEBHOOK(及 _SECRET),或存入钥匙串(orderdesk-robots)。报告仍会生成 PDF。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="290"/>
        <source>Pushes to: {robots} (each report once, whichever console sends it)</source>
        <translation>推送到:{robots}(每份报告只推一次,不论哪台控制台发送)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="310"/>
        <source>No payments in the cache yet: no audit to make.</source>
        <translation>缓存中还没有付款记录:无审计报告可生成。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="318"/>
        <source>Made {path}</source>
        <translation>已生成 {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="329"/>
        <source>Sending needs the hub (it makes sure each report goes once): signed in offline.</source>
        <translation>推送需要连上订单中心(由它保证每份只推一次):当前离线登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="335"/>
        <source>Not sent: {error}</source>
        <translation>未推送:{error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="341"/>
        <source>sent</source>
        <translation>已推送</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="341"/>
        <source>not sent ({why})</source>
        <translation>未推送({why})</translation>
    </message>
</context>
<context>
    <name>ReprintReasonDialog</name>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="78"/>
        <location filename="../../app/ui/packing_dialogs.py" line="96"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="79"/>
        <source>Order {order} was printed by job {job}. Why is it printed again?</source>
        <translation>订单 {order} 已由任务 {job} 打印。为什么要补打?</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="82"/>
        <source>Another reason: type it here</source>
        <translation>其他原因:在此输入</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="105"/>
        <source>Pick a reason (1–5) or type one.</source>
        <translation>请选择原因(1–5)或输入原因。</translation>
    </message>
</context>
<context>
    <name>SelfCheckTab</name>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="228"/>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="228"/>
        <source>Bar</source>
        <translation>达标标准</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="228"/>
        <source>Measured</source>
        <translation>实测</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="228"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="229"/>
        <source>Evidence</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="238"/>
        <source>{score}/10 · {verdict}</source>
        <translation>{score}/10 · {verdict}</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="241"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="242"/>
        <source>pass</source>
        <translation>达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="242"/>
        <source>fail</source>
        <translation>未达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_more.py" line="246"/>
        <source>Measured from the data, not ticked: ≥ 8 healthy, 6–7 at risk, ≤ 5 upgrade. A row without data fails.</source>
        <translation>由数据测得而非勾选:≥ 8 健康,6–7 有风险,≤ 5 建议升级。没有数据的项不达标。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/settings_page.py" line="222"/>
        <source>The printer profile&apos;s own</source>
        <translation>打印机配置自带模板</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="91"/>
        <source>Test print</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="87"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="88"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="89"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="90"/>
        <source>Make default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="104"/>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="106"/>
        <source>The default printer (★) prints the labels; changes apply at once.</source>
        <translation>面单由默认打印机(★)打印;修改立即生效。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="116"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="136"/>
        <source>Labels, sync and sign-in</source>
        <translation>面单、同步与登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="141"/>
        <source>Applies at the next sign-in.</source>
        <translation>下次登录时生效。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="142"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="142"/>
        <source>Applies at the next start.</source>
        <translation>下次启动时生效。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="149"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="141"/>
        <source>Hub address</source>
        <translation>中心地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="131"/>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="132"/>
        <source>keep everything</source>
        <translation>全部保留</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="139"/>
        <source>Label template</source>
        <translation>面单模板</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="140"/>
        <source>Sync every</source>
        <translation>同步间隔</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="143"/>
        <source>Keep closed orders</source>
        <translation>已结束订单保留</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="144"/>
        <source>Older closed orders leave this computer once a day and come back from the hub when opened; open orders always stay.</source>
        <translation>更早的已结束订单每天移出本机,查看时从订单中心取回;未结束的订单始终保留。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="147"/>
        <source>Daily report at</source>
        <translation>日报时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="148"/>
        <source>Beijing time; made and sent to the group robots once a day.</source>
        <translation>北京时间;每天生成一次并推送到群机器人。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="177"/>
        <source>Printers are set up by packers and supervisors.</source>
        <translation>打印机由打包员和主管设置。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="189"/>
        <source>network printer</source>
        <translation>网络打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="189"/>
        <source>files in a folder</source>
        <translation>文件(存入目录)</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="190"/>
        <source>system queue</source>
        <translation>系统队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="197"/>
        <source>the system&apos;s default queue</source>
        <translation>系统默认队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="250"/>
        <source>Printer {name} added.</source>
        <translation>已添加打印机 {name}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="250"/>
        <source>Printer {name} saved.</source>
        <translation>已保存打印机 {name}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="257"/>
        <source>Remove printer</source>
        <translation>删除打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="257"/>
        <source>Remove printer {name}?</source>
        <translation>删除打印机 {name}?</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="266"/>
        <source>Printer {name} removed; the default printer is {default}.</source>
        <translation>已删除打印机 {name};默认打印机为 {default}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="280"/>
        <source>{name} is the default printer now.</source>
        <translation>{name} 现为默认打印机。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="289"/>
        <source>Its labels have another size than template {template}: the label template is the printer profile&apos;s own now.</source>
        <translation>其面单尺寸与模板 {template} 不同:面单模板已改为打印机配置自带的模板。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="312"/>
        <source>Printing a test label on {name}…</source>
        <translation>正在用 {name} 打印测试面单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="319"/>
        <source>Test print failed; try again once the printer is ready: {error}</source>
        <translation>测试打印失败,打印机就绪后请重试:{error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="321"/>
        <source>Test print failed; change this printer&apos;s settings first: {error}</source>
        <translation>测试打印失败,请先修改这台打印机的设置:{error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="326"/>
        <source>Test label: {where}</source>
        <translation>测试面单:{where}</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="356"/>
        <source>the hub address applies at the next sign-in</source>
        <translation>中心地址将在下次登录时生效</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="358"/>
        <source>the language applies at the next start</source>
        <translation>语言将在下次启动时生效</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="359"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="359"/>
        <source>Saved; {later}.</source>
        <translation>已保存;{later}。</translation>
    </message>
</context>
<context>
    <name>SupervisionPage</name>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="305"/>
        <source>&amp;Consistency</source>
        <translation>一致性(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="305"/>
        <source>&amp;Data quality</source>
        <translation>数据质量(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="306"/>
        <source>&amp;BI vs finance</source>
        <translation>BI 与财务(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="306"/>
        <source>&amp;Health score</source>
        <translation>健康分(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="307"/>
        <source>Self-chec&amp;k</source>
        <translation>自检(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="307"/>
        <source>&amp;Reports</source>
        <translation>报告(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="308"/>
        <source>&amp;Mappings</source>
        <translation>映射表(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="311"/>
        <source>Refresh (F5)</source>
        <translation>刷新(F5)</translation>
    </message>
</context>
<context>
    <name>Tab</name>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="63"/>
        <source>Computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/supervision_page.py" line="74"/>
        <source>Could not compute: {error}</source>
        <translation>无法计算:{error}</translation>
    </message>
</context>
<context>
    <name>_StationDialog</name>
    <message>
        <location filename="../../app/ui/packing_dialogs.py" line="55"/>
        <source>Cancel (Esc)</source>
        <translation>取消(Esc)</translation>
    </message>
</context>
</TS>
