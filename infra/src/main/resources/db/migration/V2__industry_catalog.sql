-- Industry catalog: the platform-wide two-level tree that merchants search and pick from when they set a mini
-- program's industry. Platform data, not tenant-owned, so there is no tenant_id and no row-level security.
-- Codes are stable identifiers stored on mini programs: never rename, renumber or reuse a code; add new codes
-- instead (and mark retired ones non-selectable). Only leaves are selectable; sort_order orders siblings.

create table industries (
    code        text primary key,
    parent_code text references industries (code),
    name        text not null,
    name_zh     text not null,
    selectable  boolean not null,
    sort_order  int not null
);
create index industries_parent on industries (parent_code);
create index industries_search on industries (lower(name) text_pattern_ops);
grant select on industries to ${app_role};

-- Top-level categories (not selectable).
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('food',          null, 'Food & Beverage',               '餐饮美食', false,  10),
    ('retail',        null, 'Retail',                        '零售',     false,  20),
    ('travel',        null, 'Travel & Transport',            '出行旅游', false,  30),
    ('entertainment', null, 'Entertainment',                 '休闲娱乐', false,  40),
    ('education',     null, 'Education',                     '教育培训', false,  50),
    ('healthcare',    null, 'Healthcare',                    '医疗健康', false,  60),
    ('finance',       null, 'Financial Services',            '金融服务', false,  70),
    ('government',    null, 'Government & Public Services',  '政务民生', false,  80),
    ('lifestyle',     null, 'Lifestyle Services',            '生活服务', false,  90),
    ('telecom',       null, 'Telecommunications',            '通信服务', false, 100),
    ('automotive',    null, 'Automotive',                    '汽车服务', false, 110),
    ('real-estate',   null, 'Real Estate',                   '房产服务', false, 120),
    ('logistics',     null, 'Logistics',                     '物流快递', false, 130),
    ('charity',       null, 'Charity & Non-profit',          '公益慈善', false, 140),
    ('other',         null, 'Other',                         '其他',     false, 150);

-- Leaf industries (selectable), one insert per category.

-- food
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('food.restaurant', 'food', 'Restaurants',        '餐厅',     true, 10),
    ('food.tea-coffee', 'food', 'Tea & Coffee Shops', '茶饮咖啡', true, 20),
    ('food.bakery',     'food', 'Bakery & Desserts',  '烘焙甜品', true, 30),
    ('food.fast-food',  'food', 'Fast Food',          '快餐简餐', true, 40),
    ('food.delivery',   'food', 'Food Delivery',      '外卖配送', true, 50),
    ('food.bar',        'food', 'Bars & Pubs',        '酒吧',     true, 60);

-- retail
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('retail.supermarket',        'retail', 'Supermarkets',              '超市',     true, 10),
    ('retail.convenience',        'retail', 'Convenience Stores',        '便利店',   true, 20),
    ('retail.apparel',            'retail', 'Apparel & Footwear',        '服装鞋帽', true, 30),
    ('retail.electronics',        'retail', 'Consumer Electronics',      '数码家电', true, 40),
    ('retail.cosmetics',          'retail', 'Cosmetics & Personal Care', '美妆个护', true, 50),
    ('retail.department-store',   'retail', 'Department Stores',         '百货商场', true, 60),
    ('retail.mother-baby',        'retail', 'Mother & Baby',             '母婴用品', true, 70),
    ('retail.online-marketplace', 'retail', 'Online Marketplaces',       '电商平台', true, 80);

-- travel
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('travel.airline',       'travel', 'Airlines',                   '航空公司',       true, 10),
    ('travel.hotel',         'travel', 'Hotels & Accommodation',     '酒店住宿',       true, 20),
    ('travel.ride-hailing',  'travel', 'Ride Hailing & Taxis',       '网约车与出租车', true, 30),
    ('travel.railway',       'travel', 'Railway',                    '铁路',           true, 40),
    ('travel.travel-agency', 'travel', 'Travel Agencies',            '旅行社',         true, 50),
    ('travel.parking',       'travel', 'Parking',                    '停车服务',       true, 60),
    ('travel.attraction',    'travel', 'Scenic Spots & Attractions', '景区景点',       true, 70),
    ('travel.bike-sharing',  'travel', 'Bike & Scooter Sharing',     '共享单车',       true, 80);

-- entertainment
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('entertainment.cinema',    'entertainment', 'Cinemas',         '电影院',   true, 10),
    ('entertainment.gaming',    'entertainment', 'Gaming',          '游戏',     true, 20),
    ('entertainment.music',     'entertainment', 'Music & Audio',   '音乐音频', true, 30),
    ('entertainment.ticketing', 'entertainment', 'Event Ticketing', '演出票务', true, 40),
    ('entertainment.video',     'entertainment', 'Video Streaming', '视频',     true, 50),
    ('entertainment.ktv',       'entertainment', 'KTV & Karaoke',   'KTV',      true, 60);

-- education
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('education.k12-tutoring',     'education', 'K-12 Tutoring',             '中小学课外辅导', true, 10),
    ('education.language',         'education', 'Language Learning',         '语言学习',       true, 20),
    ('education.vocational',       'education', 'Vocational Training',       '职业技能培训',   true, 30),
    ('education.online-courses',   'education', 'Online Courses',            '在线课程',       true, 40),
    ('education.early-childhood',  'education', 'Early Childhood Education', '早教',           true, 50),
    ('education.higher-education', 'education', 'Universities & Colleges',   '高等院校',       true, 60),
    ('education.arts-sports',      'education', 'Arts & Sports Training',    '艺术体育培训',   true, 70);

-- healthcare. Pharmacies, hospitals and health insurance typically require qualification documents at review.
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('healthcare.hospital',            'healthcare', 'Hospitals',                   '医院',     true, 10),
    ('healthcare.pharmacy',            'healthcare', 'Pharmacies',                  '药店',     true, 20),
    ('healthcare.clinic',              'healthcare', 'Clinics',                     '诊所',     true, 30),
    ('healthcare.health-insurance',    'healthcare', 'Health Insurance',            '健康保险', true, 40),
    ('healthcare.online-consultation', 'healthcare', 'Online Medical Consultation', '在线问诊', true, 50),
    ('healthcare.dental',              'healthcare', 'Dental Care',                 '口腔齿科', true, 60),
    ('healthcare.health-checkup',      'healthcare', 'Health Check-ups',            '体检中心', true, 70);

-- finance. Regulated: a mini program in these industries must show the relevant financial licence at review.
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('finance.insurance',         'finance', 'Insurance',          '保险',     true, 10),
    ('finance.wealth-management', 'finance', 'Wealth Management',  '理财',     true, 20),
    ('finance.consumer-credit',   'finance', 'Consumer Credit',    '消费信贷', true, 30),
    ('finance.payments',          'finance', 'Payment Services',   '支付服务', true, 40),
    ('finance.banking',           'finance', 'Banking',            '银行',     true, 50),
    ('finance.securities',        'finance', 'Securities & Funds', '证券基金', true, 60);

-- government
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('government.utilities',       'government', 'Utilities (Water, Power & Gas)',     '水电燃气',   true, 10),
    ('government.transit-card',    'government', 'Public Transit Cards',               '公共交通卡', true, 20),
    ('government.social-security', 'government', 'Social Security',                    '社会保障',   true, 30),
    ('government.tax',             'government', 'Tax Services',                       '税务服务',   true, 40),
    ('government.administration',  'government', 'Government Administrative Services', '政务办事',   true, 50);

-- lifestyle
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('lifestyle.laundry',             'lifestyle', 'Laundry & Dry Cleaning', '洗衣干洗', true, 10),
    ('lifestyle.beauty-salon',        'lifestyle', 'Beauty & Hair Salons',   '美容美发', true, 20),
    ('lifestyle.fitness',             'lifestyle', 'Fitness & Gyms',         '运动健身', true, 30),
    ('lifestyle.housekeeping',        'lifestyle', 'Housekeeping',           '家政服务', true, 40),
    ('lifestyle.pet',                 'lifestyle', 'Pet Services',           '宠物服务', true, 50),
    ('lifestyle.home-repair',         'lifestyle', 'Home Repair',            '家居维修', true, 60),
    ('lifestyle.wedding-photography', 'lifestyle', 'Wedding & Photography',  '婚庆摄影', true, 70);

-- telecom
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('telecom.mobile-top-up', 'telecom', 'Mobile Top-up',     '手机充值',   true, 10),
    ('telecom.broadband',     'telecom', 'Broadband',         '宽带',       true, 20),
    ('telecom.mobile-plans',  'telecom', 'Mobile Plans',      '手机套餐',   true, 30),
    ('telecom.esim',          'telecom', 'Travel SIM & eSIM', '境外上网卡', true, 40);

-- automotive
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('automotive.car-rental',   'automotive', 'Car Rental',           '汽车租赁',     true, 10),
    ('automotive.car-wash',     'automotive', 'Car Wash',             '洗车',         true, 20),
    ('automotive.ev-charging',  'automotive', 'EV Charging',          '新能源充电',   true, 30),
    ('automotive.fuel-station', 'automotive', 'Fuel Stations',        '加油站',       true, 40),
    ('automotive.maintenance',  'automotive', 'Repair & Maintenance', '汽车维修保养', true, 50),
    ('automotive.car-sales',    'automotive', 'Car Sales',            '汽车销售',     true, 60);

-- real-estate
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('real-estate.property-management', 'real-estate', 'Property Management',  '物业管理', true, 10),
    ('real-estate.rental',              'real-estate', 'Rentals',              '房屋租赁', true, 20),
    ('real-estate.brokerage',           'real-estate', 'Real Estate Agencies', '房产中介', true, 30),
    ('real-estate.new-homes',           'real-estate', 'New Home Sales',       '新房销售', true, 40);

-- logistics
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('logistics.express',       'logistics', 'Express Delivery', '快递',     true, 10),
    ('logistics.courier',       'logistics', 'Same-day Courier', '同城配送', true, 20),
    ('logistics.freight',       'logistics', 'Freight & Moving', '货运搬家', true, 30),
    ('logistics.parcel-locker', 'logistics', 'Parcel Lockers',   '快递柜',   true, 40);

-- charity
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('charity.donation',   'charity', 'Charitable Donations',     '慈善捐赠',   true, 10),
    ('charity.foundation', 'charity', 'Foundations',              '基金会',     true, 20),
    ('charity.volunteer',  'charity', 'Volunteer Services',       '志愿服务',   true, 30),
    ('charity.ngo',        'charity', 'Non-profit Organizations', '非营利组织', true, 40);

-- other
insert into industries (code, parent_code, name, name_zh, selectable, sort_order) values
    ('other.business-services', 'other', 'Business Services', '商务服务', true, 10),
    ('other.legal',             'other', 'Legal Services',    '法律服务', true, 20),
    ('other.consulting',        'other', 'Consulting',        '咨询服务', true, 30),
    ('other.general',           'other', 'Other Services',    '其他服务', true, 40);
