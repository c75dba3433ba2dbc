import OneGridDomain

extension DemoCity {
    /// The place and particulars a case's texts are written from.
    struct Place {
        /// 和平村 or 阳光社区.
        var village: String
        /// 村民 in a village, 居民 in a community.
        var resident: String
        /// A spot in it: 和平村文化广场, 阳光社区3号楼.
        var spot: String
        var road: String
        var shop: String
        /// Parties of a dispute, 张某 and 李某.
        var party: String
        var otherParty: String
        /// A small count (lamps, households, people) and a number of days.
        var count: Int
        var days: Int
    }

    typealias Text = @Sendable (Place) -> String

    /// One leaf of the category tree with what the demo needs to make its cases: how often it
    /// comes up, how it tends to run, and how people write about it.
    struct Leaf {
        var code: String
        var name: String
        var level: AdminLevel
        var departmentKind: String
        var handling: TimeLimit
        var weight: Double
        /// Share solved at intake by the grid worker or the window (接诉即办).
        var spotRate = 0.0
        /// Kinds that assist when the case is handled jointly (吹哨报到).
        var assistKinds: [String] = []
        /// Share guided to a legal route, and which routes.
        var guideRate = 0.0
        var routes: [LegalRoute] = []
        /// How a case is titled when it is taken down; its description is drawn from
        /// `DemoTexts.complaints` in the reporter's own words.
        var titles: [Text]
        /// What the handler reports when feeding back.
        var results: [Text]
    }

    struct Root {
        var code: String
        var name: String
        var platform: Platform
        var kind: CategoryKind
        /// Share of all cases, from seed 003's per-platform figures; the 8.53 % the seed leaves
        /// outside the four platforms goes to disputes, petitions and hazards (platform `other`).
        var weight: Double
        var acceptance: TimeLimit
        var signing: TimeLimit
        var escalates: Bool
        /// Share of its cases held above the village that the centre hands down to the village
        /// where they happen (属地处置), and the village's department that takes them: seed 003's
        /// "over 97 % solved without leaving the village" comes from this.
        var handedDown: (rate: Double, kind: String)? = nil
        var leaves: [Leaf]
    }

    /// The category tree: the four platforms of seed 003 plus disputes, petitions and safety
    /// hazards, each with its leaves. Ids follow pre-order from 1: a root, then its leaves.
    struct Catalogue {
        let roots: [Root] = Catalogue.tree
        /// Categories as stored, roots included.
        let categories: [OneGridDomain.Category]
        /// For each root, the stored categories of its leaves, in order.
        let leafCategories: [[OneGridDomain.Category]]
        private let rootChoice: WeightedChoice
        private let leafChoices: [WeightedChoice]

        init() {
            var categories: [OneGridDomain.Category] = []
            var leafCategories: [[OneGridDomain.Category]] = []
            var nextID: Int64 = 1
            for root in roots {
                let rootID = nextID
                nextID += 1
                // A root is a heading, not a destination: no department, its leaves' usual level.
                categories.append(
                    Category(
                        id: rootID, code: root.code, name: root.name, parentID: nil, platform: root.platform,
                        kind: root.kind, handlingLevel: root.leaves[0].level, departmentKind: nil,
                        acceptanceLimit: root.acceptance, signingLimit: root.signing,
                        handlingLimit: root.leaves[0].handling, escalatesWhenOverdue: root.escalates))
                var leaves: [OneGridDomain.Category] = []
                for leaf in root.leaves {
                    leaves.append(
                        Category(
                            id: nextID, code: leaf.code, name: leaf.name, parentID: rootID, platform: root.platform,
                            kind: root.kind, handlingLevel: leaf.level, departmentKind: leaf.departmentKind,
                            acceptanceLimit: root.acceptance, signingLimit: root.signing, handlingLimit: leaf.handling,
                            escalatesWhenOverdue: root.escalates, keywords: DemoTexts.keywords[leaf.code] ?? []))
                    nextID += 1
                }
                categories += leaves
                leafCategories.append(leaves)
            }
            self.categories = categories
            self.leafCategories = leafCategories
            rootChoice = WeightedChoice(roots.map(\.weight))
            leafChoices = roots.map { WeightedChoice($0.leaves.map(\.weight)) }
        }

        /// A leaf drawn by the shares of roots and leaves: (root index, leaf index).
        func pick(using rng: inout SeededGenerator) -> (root: Int, leaf: Int) {
            let root = rootChoice.pick(using: &rng)
            return (root, leafChoices[root].pick(using: &rng))
        }
    }
}

extension DemoCity.Catalogue {
    private typealias Leaf = DemoCity.Leaf

    private static let workingDay = TimeLimit(1, .workingDays)
    private static let fiveWorkingDays = TimeLimit(5, .workingDays)

    // The five codes the README and tests use: service.streetlight, market.food,
    // dispute.neighbour, hazard.fire, petition.appeal.
    fileprivate static let tree: [DemoCity.Root] = [
        services, enforcement, governance, market, disputes, petitions, hazards,
    ]

    private static let services = DemoCity.Root(
        code: "service", name: "便民服务", platform: .convenienceServices, kind: .general, weight: 65.44,
        acceptance: workingDay, signing: workingDay, escalates: true,
        handedDown: (0.96, "village-committee"),
        leaves: [
            Leaf(
                code: "service.streetlight", name: "路灯维修", level: .village, departmentKind: "village-committee",
                handling: fiveWorkingDays, weight: 12,
                titles: [
                    { "\($0.spot)路灯不亮" }, { "\($0.road)路段\($0.count)盏路灯损坏" },
                    { "\($0.village)路灯夜间不亮影响出行" },
                ],
                results: [
                    { "已联系电工更换灯泡\($0.count)个并检修线路，路灯恢复正常照明。" },
                    { _ in "已更换损坏灯头、加固灯杆，经夜间复查照明正常。" },
                ]),
            Leaf(
                code: "service.water", name: "供水报修", level: .village, departmentKind: "village-committee",
                handling: fiveWorkingDays, weight: 8,
                titles: [{ "\($0.spot)自来水管破裂漏水" }, { "\($0.village)部分住户停水\($0.days)天" }, { "\($0.spot)水压偏低" }],
                results: [
                    { _ in "已组织维修人员更换破损管段，恢复供水并回填路面。" },
                    { _ in "经排查为加压泵故障，已维修并恢复正常供水，已向住户说明情况。" },
                ]),
            Leaf(
                code: "service.sanitation", name: "环境卫生", level: .village, departmentKind: "village-committee",
                handling: fiveWorkingDays, weight: 16, spotRate: 0.1,
                titles: [{ "\($0.spot)垃圾堆积未清运" }, { "\($0.road)沿线垃圾桶满溢" }, { "\($0.spot)生活垃圾乱倒" }],
                results: [
                    { _ in "已安排保洁员清运垃圾并消杀，增加该点位清运频次。" },
                    { _ in "已组织保洁力量集中清理，现场已整洁，并张贴文明提示。" },
                ]),
            Leaf(
                code: "service.drainage", name: "下水道疏通", level: .village, departmentKind: "village-committee",
                handling: fiveWorkingDays, weight: 7,
                titles: [{ "\($0.spot)下水道堵塞" }, { "\($0.road)雨后积水严重" }, { "\($0.spot)污水外溢" }],
                results: [{ _ in "已联系疏通车清掏管道，排水恢复畅通。" }, { _ in "已清理雨水篦子并疏通排水沟，积水已排除。" }]),
            Leaf(
                code: "service.road", name: "道路修缮", level: .village, departmentKind: "village-committee",
                handling: fiveWorkingDays, weight: 6,
                titles: [{ "\($0.road)路面坑洼破损" }, { "\($0.spot)道路塌陷" }, { "\($0.village)生产路损毁" }],
                results: [{ _ in "已设置警示标志并用沥青混合料修补坑洼。" }, { _ in "已组织施工队修复塌陷路面，恢复通行。" }]),
            Leaf(
                code: "service.elderly", name: "养老助残", level: .village, departmentKind: "village-committee",
                handling: fiveWorkingDays, weight: 5, spotRate: 0.2,
                titles: [{ "\($0.village)独居老人需要上门帮扶" }, { "\($0.party)家中残疾人申请辅具" }, { "\($0.spot)老人助餐点服务问题" }],
                results: [{ _ in "已安排志愿者上门帮扶，纳入每周探访名单。" }, { _ in "已协助提交辅具申请材料，辅具已发放到户。" }]),
            Leaf(
                code: "service.social-aid", name: "社会救助", level: .town, departmentKind: "services",
                handling: fiveWorkingDays, weight: 2, spotRate: 0.3,
                titles: [{ "\($0.party)申请临时救助" }, { "\($0.village)困难家庭申请低保" }, { "\($0.party)因病致贫求助" }],
                results: [{ _ in "已受理救助申请并入户核查，临时救助金已发放。" }, { _ in "已告知低保申请条件并协助准备材料，已进入审核程序。" }]),
            Leaf(
                code: "service.certificate", name: "证明办理", level: .town, departmentKind: "services",
                handling: fiveWorkingDays, weight: 2, spotRate: 0.6,
                titles: [{ "\($0.party)咨询户籍证明办理" }, { _ in "居住证明开具问题" }, { "\($0.party)办理老年优待证" }],
                results: [{ _ in "已一次性告知所需材料并当场办结。" }, { _ in "已协调窗口容缺受理，证明已开具送达。" }]),
            Leaf(
                code: "service.pension", name: "社保医保", level: .town, departmentKind: "services",
                handling: fiveWorkingDays, weight: 2, spotRate: 0.4,
                titles: [{ "\($0.party)养老金未按时到账" }, { "\($0.party)异地就医备案" }, { _ in "咨询城乡居民医保缴费" }],
                results: [{ _ in "经核查为银行账户变更所致，已协助更新信息，养老金已补发。" }, { _ in "已指导通过手机完成备案。" }]),
        ])

    private static let enforcement = DemoCity.Root(
        code: "enforcement", name: "综合执法", platform: .lawEnforcement, kind: .general, weight: 12.18,
        acceptance: workingDay, signing: workingDay, escalates: true,
        handedDown: (0.96, "village-committee"),
        leaves: [
            Leaf(
                code: "enforcement.stacking", name: "乱堆乱放", level: .village, departmentKind: "village-committee",
                handling: fiveWorkingDays, weight: 35, spotRate: 0.2,
                titles: [{ "\($0.spot)杂物乱堆乱放" }, { "\($0.road)沿街堆放建筑材料" }, { "\($0.spot)柴草堆占用通道" }],
                results: [{ _ in "已督促当事人清理杂物，通道恢复畅通。" }, { _ in "已组织人员集中清理并约谈当事人。" }]),
            Leaf(
                code: "enforcement.street-vendor", name: "占道经营", level: .town, departmentKind: "enforcement",
                handling: fiveWorkingDays, weight: 20, assistKinds: ["market-supervision"],
                titles: [{ "\($0.road)占道经营" }, { "\($0.shop)店外经营" }, { "\($0.spot)流动摊贩聚集" }],
                results: [{ _ in "已劝导摊贩入市经营，并加强早晚巡查。" }, { "已责令\($0.shop)退店经营，当事人已整改。" }]),
            Leaf(
                code: "enforcement.illegal-building", name: "违章搭建", level: .town, departmentKind: "enforcement",
                handling: TimeLimit(10, .workingDays), weight: 15, assistKinds: ["police", "justice"],
                titles: [{ "\($0.spot)私搭乱建" }, { "\($0.village)有人违规建房" }, { "\($0.road)楼顶违章加盖" }],
                results: [{ _ in "已下达责令限期拆除通知书，违建已自行拆除。" }, { "已依法立案，联合拆除违章建筑\($0.count * 10)平方米。" }]),
            Leaf(
                code: "enforcement.noise", name: "噪声扰民", level: .town, departmentKind: "enforcement",
                handling: fiveWorkingDays, weight: 10, assistKinds: ["police"],
                titles: [{ "\($0.shop)夜间噪音扰民" }, { "\($0.spot)广场舞音响声音过大" }, { "\($0.road)工地夜间施工" }],
                results: [{ _ in "已现场检查并责令整改，夜间施工已停止。" }, { _ in "已约谈经营者，调低音量并缩短营业时间。" }]),
            Leaf(
                code: "enforcement.advertising", name: "违规广告", level: .town, departmentKind: "enforcement",
                handling: fiveWorkingDays, weight: 8,
                titles: [{ "\($0.road)违规设置广告牌" }, { "\($0.spot)小广告乱贴乱画" }, { "\($0.shop)招牌破损有坠落风险" }],
                results: [{ "已拆除违规广告牌\($0.count)块。" }, { _ in "已组织清理小广告，并对张贴号码进行停机处理。" }]),
            Leaf(
                code: "enforcement.construction-waste", name: "渣土乱倒", level: .town, departmentKind: "enforcement",
                handling: fiveWorkingDays, weight: 7,
                titles: [{ "\($0.spot)偷倒建筑垃圾" }, { "\($0.road)渣土车抛洒" }, { "\($0.village)河道边倾倒渣土" }],
                results: [{ _ in "已调取监控锁定车辆，责令清运并处罚款。" }, { _ in "已清理抛洒路面，对运输单位立案查处。" }]),
            Leaf(
                code: "enforcement.pollution", name: "环境污染", level: .county, departmentKind: "environment",
                handling: TimeLimit(10, .workingDays), weight: 5, assistKinds: ["enforcement"],
                titles: [{ "\($0.village)小作坊排放污水" }, { "\($0.spot)露天焚烧垃圾" }, { "\($0.road)企业排放异味气体" }],
                results: [{ _ in "已现场采样监测，责令停产整改并立案处罚。" }, { _ in "已查封违法排污设施，河道已组织清淤。" }]),
        ])

    private static let governance = DemoCity.Root(
        code: "governance", name: "综治工作", platform: .governance, kind: .general, weight: 11.13,
        acceptance: workingDay, signing: workingDay, escalates: true,
        handedDown: (0.96, "village-committee"),
        leaves: [
            Leaf(
                code: "governance.floating", name: "流动人口登记", level: .village, departmentKind: "village-committee",
                handling: fiveWorkingDays, weight: 25, spotRate: 0.3,
                titles: [{ "\($0.spot)出租房新入住人员未登记" }, { "\($0.village)外来务工人员信息采集" }, { "\($0.party)出租房屋登记" }],
                results: [{ _ in "已完成人员信息采集登记，并督促房东签订治安责任书。" }, { _ in "已上门登记并发放居住证办理告知单。" }]),
            Leaf(
                code: "governance.security-facility", name: "技防设施", level: .village,
                departmentKind: "village-committee",
                handling: fiveWorkingDays, weight: 15,
                titles: [{ "\($0.spot)监控探头损坏" }, { "\($0.spot)门禁系统故障" }, { "\($0.road)路口缺少监控" }],
                results: [{ _ in "已联系运维单位维修，监控恢复正常。" }, { _ in "已更换门禁控制器，系统运行正常。" }]),
            Leaf(
                code: "governance.public-order", name: "治安隐患", level: .town, departmentKind: "police",
                handling: fiveWorkingDays, weight: 25, assistKinds: ["enforcement"],
                titles: [{ "\($0.spot)夜间有可疑人员出没" }, { "\($0.shop)存在聚众赌博嫌疑" }, { "\($0.road)电动车频繁被盗" }],
                results: [{ _ in "已加强夜间巡逻并增设临时监控点。" }, { _ in "已立案侦查，并在重点路段加强巡防。" }]),
            Leaf(
                code: "governance.fraud", name: "反诈预警", level: .town, departmentKind: "police",
                handling: fiveWorkingDays, weight: 15, spotRate: 0.2,
                titles: [{ "\($0.party)疑似遭遇电信诈骗" }, { "\($0.village)老人被推销保健品" }, { "\($0.spot)有人发放可疑投资传单" }],
                results: [{ _ in "民警已上门劝阻并开展反诈宣传，未造成损失。" }, { _ in "已对推销人员进行调查，并组织反诈宣传。" }]),
            Leaf(
                code: "governance.key-person", name: "重点人员", level: .town, departmentKind: "police",
                handling: fiveWorkingDays, weight: 10,
                titles: [{ "\($0.party)情绪不稳需关注" }, { "\($0.village)精神障碍患者未按时服药" }, { _ in "社区矫正对象请假外出" }],
                results: [{ _ in "已落实稳控措施，联合家属和村干部开展疏导。" }, { _ in "已协调卫生院上门随访并督促服药。" }]),
            Leaf(
                code: "governance.campus", name: "校园周边", level: .town, departmentKind: "police",
                handling: fiveWorkingDays, weight: 10, assistKinds: ["market-supervision"],
                titles: [{ _ in "学校门口上下学交通拥堵" }, { "\($0.shop)向学生售卖三无零食" }, { "\($0.spot)校园周边流动摊点" }],
                results: [{ _ in "已安排警力护学岗，并施划临时停车区域。" }, { _ in "已会同市场监管人员查扣问题食品。" }]),
        ])

    private static let market = DemoCity.Root(
        code: "market", name: "市场监管", platform: .marketSupervision, kind: .general, weight: 2.72,
        acceptance: workingDay, signing: workingDay, escalates: true,
        handedDown: (0.96, "village-committee"),
        leaves: [
            Leaf(
                code: "market.food", name: "食品安全", level: .town, departmentKind: "market-supervision",
                handling: fiveWorkingDays, weight: 35, assistKinds: ["enforcement", "police"],
                titles: [{ "\($0.spot)摊位售卖过期食品" }, { "\($0.shop)后厨卫生脏乱" }, { "\($0.shop)食品无生产日期" }],
                results: [{ _ in "已现场检查，下架过期食品并立案调查。" }, { _ in "已责令停业整顿，整改后复查合格。" }]),
            Leaf(
                code: "market.price", name: "价格违法", level: .town, departmentKind: "market-supervision",
                handling: fiveWorkingDays, weight: 15,
                titles: [{ "\($0.shop)明码标价不实" }, { "\($0.spot)停车收费过高" }, { "\($0.shop)哄抬蔬菜价格" }],
                results: [{ _ in "已责令经营者退还多收款项并规范标价。" }, { _ in "已约谈经营方并按标准收费。" }]),
            Leaf(
                code: "market.unlicensed", name: "无证经营", level: .town, departmentKind: "market-supervision",
                handling: fiveWorkingDays, weight: 20,
                titles: [{ "\($0.spot)无证小作坊" }, { "\($0.shop)无营业执照经营" }, { "\($0.village)黑加油点" }],
                results: [{ _ in "已依法取缔无证经营点并没收工具。" }, { _ in "已责令停止经营，并指导办理营业执照。" }]),
            Leaf(
                code: "market.consumer", name: "消费纠纷", level: .town, departmentKind: "market-supervision",
                handling: fiveWorkingDays, weight: 20, spotRate: 0.2,
                titles: [{ "\($0.shop)预付卡退费难" }, { "\($0.party)购买的电器维修遭拒" }, { _ in "网购商品质量问题投诉" }],
                results: [{ _ in "经调解，商家同意退还余款。" }, { _ in "已组织双方调解，商家同意更换商品。" }]),
            Leaf(
                code: "market.drug", name: "药品安全", level: .county, departmentKind: "market-supervision",
                handling: fiveWorkingDays, weight: 10,
                titles: [{ "\($0.shop)销售处方药不凭处方" }, { "\($0.village)诊所使用过期药品" }, { "\($0.spot)非法销售医疗器械" }],
                results: [{ _ in "已现场检查并立案查处。" }, { _ in "已查扣问题药品，责令整改。" }]),
        ])

    private static let disputes = DemoCity.Root(
        code: "dispute", name: "矛盾纠纷", platform: .other, kind: .dispute, weight: 5.5,
        acceptance: workingDay, signing: workingDay, escalates: true,
        handedDown: (0.94, "mediation"),
        leaves: [
            // Mediation has no statutory period; 30 days is the common local default (Shenzhen).
            Leaf(
                code: "dispute.neighbour", name: "邻里纠纷", level: .village, departmentKind: "mediation",
                handling: TimeLimit(30, .days), weight: 30, spotRate: 0.25,
                titles: [
                    { "\($0.party)与\($0.otherParty)因排水沟发生争执" }, { "\($0.party)与邻居因通道堆物发生矛盾" },
                    { "\($0.party)与\($0.otherParty)宅基地边界纠纷" },
                ],
                results: [
                    { "经村调委会调解，双方达成口头协议，\($0.otherParty)同意清理并改道排水。" },
                    { _ in "经调解双方签订书面调解协议，矛盾已化解。" },
                ]),
            Leaf(
                code: "dispute.family", name: "婚姻家庭纠纷", level: .village, departmentKind: "mediation",
                handling: TimeLimit(30, .days), weight: 20, spotRate: 0.2,
                titles: [{ "\($0.party)家庭赡养纠纷" }, { "\($0.party)夫妻矛盾" }, { "\($0.party)兄弟分家析产纠纷" }],
                results: [{ _ in "经调解，子女签订赡养协议，轮流照顾老人。" }, { _ in "经多次调解，夫妻和好，承诺相互尊重。" }]),
            Leaf(
                code: "dispute.land", name: "土地承包纠纷", level: .village, departmentKind: "mediation",
                handling: TimeLimit(30, .days), weight: 15,
                titles: [
                    { "\($0.party)与\($0.otherParty)承包地边界争议" }, { "\($0.village)土地流转租金纠纷" }, { "\($0.party)林地确权争议" },
                ],
                results: [{ _ in "经现场测量确界，双方认可调解结果。" }, { _ in "经协调，承租方已支付拖欠租金。" }]),
            Leaf(
                code: "dispute.property", name: "物业纠纷", level: .village, departmentKind: "mediation",
                handling: TimeLimit(30, .days), weight: 10,
                titles: [{ "\($0.spot)业主与物业收费纠纷" }, { "\($0.spot)电梯维修费用分摊纠纷" }, { "\($0.spot)车位使用纠纷" }],
                results: [{ _ in "经社区调解，物业公示收支明细，业主同意缴费。" }, { _ in "经业主协商会议，达成费用分摊方案。" }]),
            Leaf(
                code: "dispute.labour", name: "劳资纠纷", level: .town, departmentKind: "mediation",
                handling: TimeLimit(30, .days), weight: 10, assistKinds: ["justice"], guideRate: 0.1,
                routes: [.arbitration],
                titles: [{ "\($0.count * 3)名工人讨要工资" }, { "\($0.shop)拖欠员工工资" }, { "\($0.party)工伤赔偿纠纷" }],
                results: [{ _ in "经调解，用工方已结清拖欠工资。" }, { _ in "经调解双方达成赔偿协议，已当场履行。" }]),
            Leaf(
                code: "dispute.traffic", name: "交通事故纠纷", level: .town, departmentKind: "mediation",
                handling: TimeLimit(30, .days), weight: 8, assistKinds: ["police"], guideRate: 0.05,
                routes: [.litigation],
                titles: [{ "\($0.road)交通事故赔偿纠纷" }, { "\($0.party)电动车碰撞纠纷" }, { "\($0.party)与\($0.otherParty)剐蹭纠纷" }],
                results: [{ _ in "经交警与调解员联合调解，双方达成赔偿协议。" }, { _ in "经调解，肇事方一次性赔偿医疗费用。" }]),
            Leaf(
                code: "dispute.contract", name: "合同债务纠纷", level: .town, departmentKind: "justice",
                handling: TimeLimit(30, .days), weight: 7, guideRate: 0.15, routes: [.litigation, .arbitration],
                titles: [{ "\($0.party)与\($0.otherParty)借款纠纷" }, { "\($0.shop)装修合同纠纷" }, { "\($0.party)买卖合同欠款" }],
                results: [{ _ in "经司法所调解，双方签订分期还款协议。" }, { _ in "经调解，商家同意返工并赔偿损失。" }]),
        ])

    // 信访工作条例: register and route within 15 days, handle within 60 (Art. 22, 34).
    private static let petitions = DemoCity.Root(
        code: "petition", name: "信访事项", platform: .other, kind: .petition, weight: 1.03,
        acceptance: TimeLimit(15, .days), signing: fiveWorkingDays, escalates: false,
        leaves: [
            Leaf(
                code: "petition.appeal", name: "申诉求决", level: .county, departmentKind: "petition",
                handling: TimeLimit(60, .days), weight: 45, assistKinds: ["civil-affairs", "labour"], guideRate: 0.2,
                routes: [.administrativeReview, .litigation],
                titles: [{ "\($0.party)反映征地补偿不到位" }, { "\($0.party)要求落实退役军人待遇" }, { "\($0.party)反映房屋拆迁安置问题" }],
                results: [{ _ in "已依法作出书面答复，补偿款已补发到位。" }, { _ in "经调查核实，已按政策作出答复意见并送达。" }]),
            Leaf(
                code: "petition.suggestion", name: "意见建议", level: .county, departmentKind: "petition",
                handling: TimeLimit(60, .days), weight: 20,
                titles: [{ "建议\($0.road)增设红绿灯" }, { "建议在\($0.village)增设公交站点" }, { "建议完善\($0.spot)健身设施" }],
                results: [{ _ in "建议已转交相关部门研究，已纳入年度计划。" }, { _ in "已书面答复建议人，并感谢其参与。" }]),
            Leaf(
                code: "petition.accusation", name: "检举控告", level: .county, departmentKind: "petition",
                handling: TimeLimit(60, .days), weight: 20, guideRate: 0.25, routes: [.disciplineInspection],
                titles: [{ "反映\($0.village)村务不公开" }, { "举报\($0.village)低保优亲厚友" }, { "反映\($0.village)集体资产处置问题" }],
                results: [{ _ in "经调查，已督促村务公开并书面答复。" }, { _ in "经核查部分属实，已责令整改并答复信访人。" }]),
            Leaf(
                code: "petition.collective", name: "集体访", level: .county, departmentKind: "petition",
                handling: TimeLimit(60, .days), weight: 15, assistKinds: ["housing", "labour"], guideRate: 0.05,
                routes: [.litigation],
                titles: [
                    { "\($0.spot)业主集体反映房产证办理问题" }, { "\($0.count * 5)名\($0.resident)集体反映饮水问题" }, { _ in "农民工集体讨薪" },
                ],
                results: [{ _ in "已召开联席会议研究解决，办证工作已启动并答复信访人。" }, { _ in "已协调实施改水工程并书面答复。" }]),
        ])

    // Urgent hazards are answered in hours (DOMAIN §4).
    private static let hazards = DemoCity.Root(
        code: "hazard", name: "安全隐患", platform: .other, kind: .safetyHazard, weight: 2.0,
        acceptance: TimeLimit(2, .hours), signing: TimeLimit(2, .hours), escalates: true,
        handedDown: (0.9, "village-committee"),
        leaves: [
            Leaf(
                code: "hazard.fire", name: "消防隐患", level: .town, departmentKind: "emergency",
                handling: TimeLimit(24, .hours), weight: 30, assistKinds: ["enforcement", "police"],
                titles: [{ "\($0.spot)电动车楼道充电" }, { "\($0.shop)消防通道堵塞" }, { "\($0.spot)私拉乱接电线" }],
                results: [{ _ in "已现场督促整改，清理楼道电动车并张贴警示。" }, { _ in "已责令立即整改，更换灭火器，疏通消防通道。" }]),
            Leaf(
                code: "hazard.gas", name: "燃气隐患", level: .town, departmentKind: "emergency",
                handling: TimeLimit(24, .hours), weight: 20,
                titles: [{ "\($0.shop)液化气罐违规存放" }, { "\($0.spot)闻到燃气异味" }, { "\($0.village)燃气管道老化" }],
                results: [{ _ in "已联系燃气公司排查，更换老化软管。" }, { _ in "已责令清理多余气罐并安装报警器。" }]),
            Leaf(
                code: "hazard.production", name: "安全生产", level: .town, departmentKind: "emergency",
                handling: TimeLimit(24, .hours), weight: 20, assistKinds: ["enforcement"],
                titles: [{ "\($0.village)小作坊安全生产隐患" }, { "\($0.road)工地未设防护" }, { "\($0.spot)违规动火作业" }],
                results: [{ _ in "已下达整改通知书，责令停产整改。" }, { _ in "已督促施工单位设置防护设施。" }]),
            Leaf(
                code: "hazard.flood", name: "防汛隐患", level: .town, departmentKind: "emergency",
                handling: TimeLimit(24, .hours), weight: 10,
                titles: [{ "\($0.village)河堤出现裂缝" }, { "\($0.spot)低洼处积水倒灌" }, { "\($0.village)山体有滑坡迹象" }],
                results: [{ _ in "已组织抢险队加固堤防并安排专人值守。" }, { _ in "已转移受威胁群众并设置警戒。" }]),
            Leaf(
                code: "hazard.building", name: "危房隐患", level: .county, departmentKind: "housing",
                handling: TimeLimit(72, .hours), weight: 12, assistKinds: ["emergency"],
                titles: [{ "\($0.village)老旧房屋墙体开裂" }, { "\($0.spot)外墙脱落" }, { "\($0.party)家房屋成为危房" }],
                results: [{ _ in "已组织房屋安全鉴定，住户已临时搬离。" }, { _ in "已设置警戒区域，组织维修加固。" }]),
            Leaf(
                code: "hazard.road-facility", name: "交通设施损坏", level: .county, departmentKind: "transport",
                handling: TimeLimit(48, .hours), weight: 8,
                titles: [{ "\($0.road)井盖缺失" }, { "\($0.road)护栏损毁" }, { "\($0.road)交通标志被撞倒" }],
                results: [{ _ in "已设置警示并补装井盖。" }, { _ in "已修复护栏并恢复交通标志。" }]),
        ])
}
