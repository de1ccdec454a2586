<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Channel</name>
    <message>
        <location filename="../../app/ui/orders_model.py" line="133" />
        <source>Taobao</source>
        <translation>淘宝</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="134" />
        <source>Douyin</source>
        <translation>抖音</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="135" />
        <source>Pinduoduo</source>
        <translation>拼多多</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="136" />
        <source>WeChat Channels</source>
        <translation>微信视频号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="137" />
        <source>Youzan</source>
        <translation>有赞</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="138" />
        <source>Own mini-program</source>
        <translation>自有小程序</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../app/ui/errors.py" line="51" />
        <source>The hub did not accept the sign-in: check the user name and password.</source>
        <translation>中心未接受登录:请检查用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="53" />
        <source>The hub cannot be reached: check the address and the network.</source>
        <translation>无法连接订单中心:请检查地址和网络。</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="54" />
        <source>The hub answered with an error ({status}): {detail}</source>
        <translation>订单中心返回错误({status}):{detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="58" />
        <source>A file or connection failed: {detail}</source>
        <translation>文件或连接出错:{detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="59" />
        <source>Something unexpected went wrong. The details were written to {path}.</source>
        <translation>出现意外错误。详细信息已写入 {path}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/errors.py" line="68" />
        <source>OrderDesk</source>
        <translation>OrderDesk 订单台</translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <location filename="../../app/ui/packing_page.py" line="51" />
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="52" />
        <source>Receiver's phone</source>
        <translation>收件人电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="53" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="54" />
        <source>Sender</source>
        <translation>寄件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="55" />
        <source>Sender's phone</source>
        <translation>寄件人电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="56" />
        <source>Sender's address</source>
        <translation>寄件地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="57" />
        <source>Items</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="58" />
        <source>Carrier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="59" />
        <source>Waybill no.</source>
        <translation>运单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="60" />
        <source>Unified id</source>
        <translation>统一订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="61" />
        <source>Channel order no.</source>
        <translation>渠道订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="62" />
        <source>Buyer's note</source>
        <translation>买家留言</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="63" />
        <source>Print time</source>
        <translation>打印时间</translation>
    </message>
</context>
<context>
    <name>FinancePage</name>
    <message>
        <location filename="../../app/ui/placeholders.py" line="24" />
        <source>Finance</source>
        <translation>财务</translation>
    </message>
    <message>
        <location filename="../../app/ui/placeholders.py" line="26" />
        <source>Coming with the invoicing work: the invoice queue built from order state (signed and paid), missing buyer tax data to fix, merging by the aggregation rule, red-letter invoices for refunds, and the monthly deduction list. Orders and their refunds can already be browsed in Orders.</source>
        <translation>将随开票功能上线:按订单状态(已签收且已支付)生成的开票队列、待补全的购方税务信息、按汇总规则合并开票、退款红字发票、月度抵扣清单。订单及其退款现在已可在“订单”中浏览。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../app/ui/login.py" line="28" />
        <source>Sign in to OrderDesk</source>
        <translation>登录 OrderDesk</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="34" />
        <source>Remember me on this computer (OS keyring)</source>
        <translation>在本机记住我(系统钥匙串)</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="41" />
        <source>Hub address</source>
        <translation>中心地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="42" />
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="43" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="46" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="47" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="59" />
        <source>Enter a user name and a password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="62" />
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="53" />
        <source>OrderDesk — {user} ({role}) @ {hub}</source>
        <translation>OrderDesk — {user}({role})@ {hub}</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="66" />
        <source>Packing</source>
        <translation>打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="66" />
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="66" />
        <source>Finance</source>
        <translation>财务</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="67" />
        <source>Supervision</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="67" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="84" />
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="115" />
        <source>packer</source>
        <translation>打包员</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="115" />
        <source>finance clerk</source>
        <translation>财务</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="116" />
        <source>supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="126" />
        <source>syncing…</source>
        <translation>同步中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="128" />
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="130" />
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="132" />
        <source>connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="134" />
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="136" />
        <source>Sync: {state} · last synced {last} · {lag} behind · {pending} actions waiting</source>
        <translation>同步:{state} · 上次同步 {last} · 落后 {lag} · 待上报操作 {pending} 个</translation>
    </message>
</context>
<context>
    <name>OrderDetail</name>
    <message>
        <location filename="../../app/ui/order_detail.py" line="54" />
        <source>Observed</source>
        <translation>观测时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="54" />
        <location filename="../../app/ui/order_detail.py" line="61" />
        <location filename="../../app/ui/order_detail.py" line="62" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="54" />
        <source>Raw status</source>
        <translation>原始状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="55" />
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="55" />
        <source>Rule</source>
        <translation>映射规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="55" />
        <location filename="../../app/ui/order_detail.py" line="61" />
        <location filename="../../app/ui/order_detail.py" line="62" />
        <source>Operator</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="61" />
        <location filename="../../app/ui/order_detail.py" line="62" />
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="61" />
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="62" />
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="62" />
        <source>Action</source>
        <translation>动作</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="64" />
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="64" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="64" />
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="64" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="64" />
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="66" />
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="67" />
        <source>Observations</source>
        <translation>状态观测</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="68" />
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="69" />
        <source>Audit trail</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="70" />
        <source>Print history</source>
        <translation>打印记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="94" />
        <source>Fulfilment</source>
        <translation>履约状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="94" />
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="94" />
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="96" />
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="97" />
        <source>Waybill no.</source>
        <translation>运单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/order_detail.py" line="98" />
        <source>Open anomalies</source>
        <translation>未处理异常</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <location filename="../../app/ui/orders_model.py" line="34" />
        <source>Unified id</source>
        <translation>统一订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="34" />
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="34" />
        <source>Channel order no.</source>
        <translation>渠道订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="34" />
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="35" />
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="35" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="35" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="35" />
        <source>Fulfilment</source>
        <translation>履约状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="35" />
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="36" />
        <source>Anomalies</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="36" />
        <source>Waybill no.</source>
        <translation>运单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="36" />
        <source>Label</source>
        <translation>面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="118" />
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="127" />
        <source>printed</source>
        <translation>已打印</translation>
    </message>
</context>
<context>
    <name>OrdersPage</name>
    <message>
        <location filename="../../app/ui/orders_page.py" line="45" />
        <source>Unified id, channel order no., waybill no., phone tail or name</source>
        <translation>统一订单号、渠道订单号、运单号、手机尾号或姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="49" />
        <source>Any fulfilment</source>
        <translation>全部履约状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="53" />
        <source>Any refund</source>
        <translation>全部退款状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="57" />
        <source>Printed or not</source>
        <translation>打印状态不限</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="58" />
        <source>Label printed</source>
        <translation>已打印面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="59" />
        <source>Not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="60" />
        <source>Open anomalies only</source>
        <translation>仅看未处理异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="61" />
        <source>Created from</source>
        <translation>创建日期从</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="70" />
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="103" />
        <source>Any channel</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="129" />
        <location filename="../../app/ui/orders_page.py" line="145" />
        <source>searching…</source>
        <translation>查询中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_page.py" line="154" />
        <source>{count} orders</source>
        <translation>{count} 个订单</translation>
    </message>
</context>
<context>
    <name>PackingPage</name>
    <message>
        <location filename="../../app/ui/packing_page.py" line="86" />
        <source>Scan a barcode: unified id, channel order no. or waybill no.</source>
        <translation>扫描条码:统一订单号、渠道订单号或运单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="88" />
        <location filename="../../app/ui/packing_page.py" line="251" />
        <source>Scan an order to begin.</source>
        <translation>请扫描订单开始。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="100" />
        <source>Print (Enter)</source>
        <translation>打印(回车)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="101" />
        <source>Retry (F5)</source>
        <translation>重试(F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="102" />
        <source>Clear (Esc)</source>
        <translation>清空(Esc)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="122" />
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="122" />
        <source>Printer profile</source>
        <translation>打印机配置</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="122" />
        <source>Characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="127" />
        <source>Scan recent orders for rare characters</source>
        <translation>扫描近期订单中的生僻字</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="134" />
        <source>Scan and print</source>
        <translation>扫描打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="135" />
        <source>Rare-character queue</source>
        <translation>生僻字队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="181" />
        <source>printed in the fallback font {font}</source>
        <translation>用备用字体 {font} 打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="182" />
        <source>printed as pinyin {text}</source>
        <translation>以拼音 {text} 打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="183" />
        <source>printed as the marker {text}</source>
        <translation>以标记 {text} 打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="185" />
        <source>left out: an invisible character</source>
        <translation>不可见字符,不打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="192" />
        <source>Every character prints as written.</source>
        <translation>所有字符均按原样打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="195" />
        <source>Already printed by job {job}: printing again asks for a reason.</source>
        <translation>已由任务 {job} 打印:再次打印需填写原因。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="198" />
        <source>Press Enter to print.</source>
        <translation>按回车打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="207" />
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="207" />
        <source>Why is this label printed again?</source>
        <translation>为什么要再次打印此面单?</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="209" />
        <source>Not reprinted: a reason is needed.</source>
        <translation>未补打:需要填写原因。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="221" />
        <source>Printing…</source>
        <translation>打印中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="231" />
        <source>Printed: job {job} → {where}</source>
        <translation>已打印:任务 {job} → {where}</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="242" />
        <source>Job {job} failed: {error} — F5 retries the same label.</source>
        <translation>任务 {job} 失败:{error} — 按 F5 重试同一张面单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="272" />
        <source>Rare-character queue ({count})</source>
        <translation>生僻字队列({count})</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="284" />
        <source>Scanning recent orders…</source>
        <translation>正在扫描近期订单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_page.py" line="284" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Refund</name>
    <message>
        <location filename="../../app/ui/orders_model.py" line="146" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="147" />
        <source>refunding</source>
        <translation>退款中</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="148" />
        <source>partially refunded</source>
        <translation>部分退款</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="149" />
        <source>refunded</source>
        <translation>已退款</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/settings_page.py" line="56" />
        <source>The printer profile's own</source>
        <translation>打印机配置自带模板</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="68" />
        <source>Test print</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="70" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="75" />
        <source>Hub address</source>
        <translation>中心地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="76" />
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="78" />
        <source>Label template</source>
        <translation>面单模板</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="79" />
        <source>Language (applies at the next start)</source>
        <translation>语言(下次启动生效)</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="80" />
        <source>Sync every</source>
        <translation>同步间隔</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="94" />
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="101" />
        <source>Printing a test label…</source>
        <translation>正在打印测试面单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="114" />
        <source>Test label sent to {where}.</source>
        <translation>测试面单已发送到 {where}。</translation>
    </message>
</context>
<context>
    <name>SupervisionPage</name>
    <message>
        <location filename="../../app/ui/placeholders.py" line="36" />
        <source>Supervision</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../app/ui/placeholders.py" line="38" />
        <source>Coming with the insights work: the consistency dashboard (order, logistics and finance agree?), the health score, the daily report and channel status mapping edits. Today: filter Orders by open anomalies and open an order to read its full chain.</source>
        <translation>将随数据洞察功能上线:一致性看板(订单、物流、财务是否一致?)、健康分、日报、渠道状态映射编辑。现在可在“订单”中筛选未处理异常,打开订单查看全链路。</translation>
    </message>
</context>
</TS>