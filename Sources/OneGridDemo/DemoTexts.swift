public import OneGridDomain

/// The words the demo city is made of: place names, departments, people, and the phrases cases
/// are written in. Kept apart from the logic so a reader can check the Chinese in one place.
/// Public for its people's names, which the benchmark's registers use too.
public enum DemoTexts {
    // MARK: Places

    static let countyStems = ["临河", "清泉", "东山", "南湖", "西岭", "北塘", "青石", "白马"]

    static let townStems = [
        "城关", "河东", "柳林", "马集", "双庙", "杨楼", "古城", "凤凰", "龙泉", "石桥", "白沙", "新集",
        "金山", "桃园", "黄庄", "青龙", "李集", "大王", "沙河", "高庄", "长安", "清源", "永安", "平安",
    ]

    static let communityStems = [
        "阳光", "锦绣", "滨河", "花园", "东苑", "育才", "朝阳", "新城", "府前", "振兴", "金桥", "翠苑",
        "龙湖", "文昌", "丽景", "康乐", "紫荆", "华庭", "春晖", "望湖", "书香", "和谐", "明珠", "御景",
    ]

    /// Twenty names of the collective era, then surname-and-settlement names (李庄, 王楼, …):
    /// 180 distinct villages before any repeats.
    static let villageStems: [String] = {
        let classic = [
            "和平", "新华", "红星", "东风", "胜利", "前进", "幸福", "团结", "光明", "向阳",
            "丰收", "永丰", "太平", "兴隆", "富强", "三合", "五里", "建新", "友谊", "民主",
        ]
        let surnames = [
            "李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
        ]
        let settlements = ["庄", "楼", "集", "营", "湾", "寨", "店", "屯"]
        // Rotating the settlement with the surname keeps neighbours from all being 李-something.
        let combined = (0..<(surnames.count * settlements.count)).map { index in
            let surname = index % surnames.count
            return surnames[surname] + settlements[(index / surnames.count + surname) % settlements.count]
        }
        return classic + combined
    }()

    /// The stem at `index`, with 二, 三, … inserted once the list runs out (和平 → 和平二), so any
    /// size gets distinct names.
    static func numbered(_ stems: [String], _ index: Int) -> String {
        let round = index / stems.count
        guard round > 0 else { return stems[index] }
        let numerals = ["", "", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        return stems[index % stems.count] + (round + 1 < numerals.count ? numerals[round + 1] : String(round + 1))
    }

    static let ruralSpots = [
        "村委会门口", "文化广场", "小学门口", "卫生室旁", "东头桥边", "西路口", "幸福院", "篮球场", "池塘边",
        "老戏台", "农贸市场", "村北养殖场", "大槐树下", "村南水塘", "便民超市门口",
    ]
    static let urbanSpots = [
        "小区东门", "菜市场", "街心公园", "地下车库", "健身广场", "沿街商铺", "幼儿园门口", "公交站台",
        "垃圾中转站", "老旧楼院", "物业服务中心", "社区卫生服务站",
    ]
    static let roads = [
        "人民路", "建设路", "解放路", "文化路", "中山路", "新华路", "育才路", "滨河路", "工业路", "环城路",
        "府前街", "青年路", "光明街", "兴业大道",
    ]
    static let shops = [
        "鸿运超市", "惠民超市", "老王烧烤", "好邻居便利店", "金鑫饭店", "乐购生鲜", "兴旺五金店", "小杨早餐店",
        "平价大药房", "新农村农资店", "美味快餐", "佳佳乐托管班",
    ]

    // MARK: Departments (kind: what categories name; name: appended to the area's name)

    static let cityDepartments: [(kind: String, name: String)] = [
        ("police", "公安局"), ("market-supervision", "市场监督管理局"), ("enforcement", "综合行政执法局"),
        ("housing", "住房和城乡建设局"), ("environment", "生态环境局"), ("civil-affairs", "民政局"),
        ("justice", "司法局"), ("petition", "信访局"), ("emergency", "应急管理局"),
        ("labour", "人力资源和社会保障局"), ("transport", "交通运输局"), ("water", "水务局"),
    ]

    /// A district's police is a branch of the city's bureau; a county has its own.
    static func countyDepartments(district: Bool) -> [(kind: String, name: String)] {
        cityDepartments.map {
            switch $0.kind {
            case "police": ($0.kind, district ? "公安分局" : "公安局")
            case "environment": ($0.kind, "生态环境分局")
            default: $0
            }
        }
    }

    static let townDepartments: [(kind: String, name: String)] = [
        ("police", "派出所"), ("market-supervision", "市场监管所"), ("enforcement", "综合行政执法中队"),
        ("justice", "司法所"), ("services", "便民服务中心"), ("emergency", "应急管理办公室"),
        ("mediation", "人民调解委员会"),
    ]

    static func villageDepartments(urban: Bool, village: String) -> [(kind: String, name: String)] {
        [
            ("village-committee", village + (urban ? "居民委员会" : "村民委员会")),
            ("mediation", village + "人民调解委员会"),
        ]
    }

    // MARK: People

    /// What a grid worker writes down after an ordinary visit.
    static let visitFindings = [
        "家中情况稳定，无新增困难。", "了解家庭近况，宣传防诈骗知识。", "老人身体状况良好，已提醒按时服药。", "核实家庭人口信息，无变化。",
        "反映楼道灯不亮，已记录。", "宣传垃圾分类政策，发放宣传单。", "询问医保缴费情况，已告知办理渠道。", "邻里关系和睦，无矛盾纠纷。",
        "检查用电用气安全，未见隐患。", "租户信息已登记更新。",
    ]

    static let surnames = [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭",
        "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅",
        "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎",
    ]
    static let givenNameCharacters = Array(
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚英华玉萍红玲桂芬燕春菊凤洁梅琳云莲雪荣秀建国志德海文金宝林成波辉鹏飞斌浩宇晨欣怡佳琪子涵雨婷慧颖晓丹凯亮福庆永")

    public static func personName(using rng: inout SeededGenerator) -> String {
        var name = rng.pick(surnames) + String(rng.pick(givenNameCharacters))
        if rng.chance(0.7) { name.append(rng.pick(givenNameCharacters)) }
        return name
    }

    /// A mainland mobile number: 1, then 3–9, then nine digits.
    static func phone(using rng: inout SeededGenerator) -> String {
        "1" + String(rng.int(3...9)) + (0..<9).map { _ in String(rng.int(0...9)) }.joined()
    }

    /// A resident ID number valid per GB 11643: the region, a birth date, a sequence and the
    /// check character over the first 17 digits.
    static func idNumber(region: String, using rng: inout SeededGenerator) -> String {
        let year = rng.int(1945...2004)
        let month = rng.int(1...12)
        let day = rng.int(1...28)
        return PersonalData.idNumber(body: region + String(year) + two(month) + two(day) + String(rng.int(100...999)))
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    // MARK: Steps of the flow

    static let rejectNotes = [
        "经网格员现场核实，反映情况不属实，予以作废。",
        "经电话回访，报告人表示问题已自行解决，作废处理。",
        "上报信息不完整且无法联系报告人，作废处理。",
        "同一事项已由其他渠道受理办结，本条作废。",
    ]

    static func guideNote(_ route: LegalRoute) -> String {
        switch route {
        case .litigation: "该事项属于民事诉讼范围，已书面告知当事人依法向人民法院提起诉讼。"
        case .arbitration: "属劳动人事争议，已引导当事人向劳动人事争议仲裁委员会申请仲裁。"
        case .administrativeReview: "对行政机关处理决定不服，已告知当事人依法申请行政复议。"
        case .administrativeRuling: "属行政裁决事项，已引导当事人向有权机关申请裁决。"
        case .disciplineInspection: "涉及公职人员违纪违法问题，已引导当事人向纪检监察机关反映。"
        }
    }

    static let returnNotes = [
        "经核实不属本单位职责范围，申请退回重新派遣。",
        "该事项涉及的主体不在本单位管辖范围，退回调度中心。",
        "派遣事项与本单位职能不符，请重新指定处置单位。",
    ]

    static let escalateNotes = [
        "涉及多个部门职责，超出本级处置能力，提请上级协调处置。",
        "问题复杂，需上级统筹资金和力量解决。",
        "当事人情绪激动，存在矛盾升级风险，报请上级介入。",
    ]

    static let verifyFailNotes = [
        "现场核查问题未彻底解决，要求返工处置。",
        "群众反映仍未整改到位，退回重新处置。",
        "处置反馈与现场情况不符，要求重新处理并补充照片。",
    ]
}
