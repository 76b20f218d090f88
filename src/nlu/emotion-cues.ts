import type { Language } from '../shared/language.ts';

/**
 * More ways upset buyers write, by strength (the weights of detect-emotion.ts: 0.5 and up decide
 * alone; lower ones only add up with other signs). Threats to consumer bodies and platforms per
 * country, regional insults, sarcasm, being ignored or passed around, defects said with feeling,
 * and angry emoji. A group adds its weight once, whichever of its patterns match (they are split
 * only to keep each pattern small for the regex check). Written from a brief of those categories
 * by someone who never saw the dev set; words calm buyers also use (cancel, refund, 后悔, knock off,
 * anyone there…) are left out.
 */
export const MORE_CUES: Record<
  Language,
  readonly (readonly [patterns: readonly RegExp[], weight: number])[]
> = {
  zh: [
    [
      [
        /(?:黑猫投诉|上黑猫|发黑猫)|(?:市场监管局|市监局|市场监督管理|质监局|食药监)|(?:打12345|12345热线|市长热线|政务热线)|(?:打315|315曝光|上315|3·15)|(?:律师函|找律师|请律师|法律途径|走法律|打官司|法庭见|仲裁)|(?:找媒体|找记者|上新闻|电视台)/i,
        /(?:消费者权益|消法|消保法|电商法|霸王条款)|(?:虚假宣传|虚假发货|虚假广告|欺骗消费者|假冒伪劣|三无产品|缺斤少两|短斤少两|以次充好)|(?:退一赔十|十倍赔偿|三倍赔偿|假一赔十)|(?:信用卡拒付|银行拒付|拒付)|(?:走着瞧|你们等着|奉陪到底|告到底|投诉到底)|店大欺客/i,
        /(?:狗商家|狗店|狗客服|狗东西|狗屁)|(?:脑残|弱智|白痴|蠢货|蠢猪|废物|人渣|败类|畜生|王八蛋|混蛋)|(?:骗我|被骗|骗了|上当)|(?:坑货|坑钱|坑死|坑惨|太坑|好坑|真坑|坑了)|(?:吃相难看|吃相太难看)|(?:什么玩意|啥玩意|破烂|破玩意)/i,
        /(?:冤大头|当我傻|当我们傻|当傻子|当猴耍|把我当(傻子|傻瓜|白痴|韭菜|猴))|(?:气炸|气疯|气哭|气得|一肚子火|一肚子气|血压(上来|飙升|拉满))|(?:想骂人|要骂人)/i,
      ],
      0.6,
    ],
    [
      [
        /(?:挂网上|挂到网上|网上曝光|发微博|发抖音|发小红书|挂你|避雷)|(?:(叫|找|让)你们(领导|经理|主管|老板|负责人)|找你们上级)|(?:(客服|官方|京东|拼多多|淘宝|天猫|抖音|平台)介入|介入处理)|(?:不解决我就|不给解决|不处理我就|否则我就)|(?:讨个说法|要个说法)|(?:再也不买|再也不来|永不回购|绝不回购|最后一次买|拉黑)/i,
        /(?:特么|tmd|nmsl|cnm|mmp|妈卖批|艹|淦|我靠)|(?:乐色|拉圾|辣鸡(店|客服|商家|东西))|(?:割韭菜|当韭菜|智商税)|(?:敷衍|糊弄|一问三不知|装死|装聋作哑)|(?:逗我呢|逗我玩|玩弄|耍猴)|(?:还好意思|丢人|丢脸)/i,
        /(?:你们真行|可真行|真有你们的|真有你的|真是服了)|(?:我谢谢你|谢谢你们全家|我真的会谢|真是谢谢了)|(?:裂开|破防|心塞|抓狂|暴躁|要疯了|快疯了|逼疯)|(?:郁闷|憋屈|窝火|心寒|寒心|委屈|糟心|烦透|烦人|受够了)|(?:绝望|欲哭无泪|自认倒霉|算我倒霉|倒霉)|(?:后悔死|肠子都悔青|真后悔|好后悔|太后悔)/i,
        /(?:白买|白花钱|浪费钱|打水漂|花钱买罪受|花钱买气受)|(?:无法接受|不能接受|难以接受)|(?:岂有此理|欺人太甚|简直了|有没有搞错|搞没搞错|没天理|天理何在)|(?:这就是你们的|你们就是这样|就这服务)|(?:可笑|搞笑吧)|(?:已读不回|读了不回|看到不回)/i,
        /(?:踢皮球|推来推去|互相推|推卸责任|甩锅)|(?:一拖再拖|拖到现在|一直拖|拖着不|拖延)|(?:黄花菜都凉|等到花儿都谢)|(?:说人话|机器人回复|别用机器人|自动回复|复制粘贴)|(?:粗制滥造|做工太差|质量太差|质量太次|质量堪忧|质量差到)|(?:发二手|二手货|翻新机|别人用过|被用过|是旧的|发旧的|旧货)/i,
        /(?:空盒|空包)|(?:发霉|霉了|长霉|变质|馊|长虫|有虫|虫子|蟑螂|吃出(头发|虫|异物|毛|石头|玻璃))|(?:拉肚子|吃坏|上吐下泻|食物中毒|烂脸|起疹子|红肿)|(?:漏电|触电|冒烟|起火|自燃)/i,
      ],
      0.5,
    ],
    [
      [
        /呵呵|真行|(?:我麻了|人麻了|无大语|大无语)|(?:认真的吗|在逗我)|(?:石沉大海|杳无音信|没有下文|没下文|没动静|遥遥无期)|(?:催了.{0,3}(遍|次)|催了好几|一直催|催了半天|催都不)/i,
        /(?:一直(在)?等|等到现在|等了半天|等半天|还要等多久|让我等|叫我等)|(?:都(半个月|一个月|一个多月|两个月|一星期|一周)了|等了(半个月|一个月|一个多月|两个月))|(?:物流.{0,4}没(更新|动)|一直不发货|迟迟不|迟迟没)|(?:电话打不通|打不通|没人接)|(?:只会说抱歉|只会道歉|就知道说|只会说|说在处理)|(?:换了.{0,2}个客服|每个客服|三番五次|一次又一次)/i,
        /说好的|(?:多次联系|联系了.{0,2}次|反复联系)|(?:一洗就|一穿就|一用就|一碰就|一拉就|一扯就|穿了一次|洗了一次|用了一次|戴了一次)|(?:散架|稀烂|稀巴烂|压烂|碎成)|(?:严重不符|货不对板|卖家秀)|(?:刺鼻|发臭|臭味)/i,
        /(?:山寨|盗版)/i,
      ],
      0.3,
    ],
    [[/(?:开线|脱线|开胶|脱胶|掉色|褪色|起球|掉毛|掉漆|生锈)/i], 0.2],
    [[/(?:[🙄😒😑🖕👎💩🤡🤮🤯]|🤦)/u], 0.3],
    [[/(?:[!！]{3,}|[?？]{3,})|[🙂🙃😩😫😖😣😞]|(?:\[(发怒|怒|抓狂|白眼|鄙视|撇嘴|大哭|流泪|微笑)\])/u], 0.2],
  ],
  en: [
    [
      [
        /\b(?:(?:trading standards|citizens advice|ombudsman|small[- ]claims|section 75|advertising standards|watchdog)|(?:consumer (court|forum|commission|helpline|affairs)|ncdrc|e-?daakhil|legal notice|cyber ?(cell|crime)|banking ombudsman)|(?:accc|fair trading|[nvq]cat|tribunal)|(?:ftc|cfpb|attorney|attorney general|better business bureau|lawsuit|class action|legal action|solicitors?)|(?:take (you|this|it) to court|see you in court|court case)|(?:fccpc|efcc|tulfo|ipa-?tulfo))\b/i,
        /\b(?:(?:a-?to-?z claim|a-z claim|section 75 claim)|(?:false advertis\w*|misleading advert\w*|deceptive)|(?:extort\w*|robbed|robbery|daylight robbery|rort(ed|ing)?)|(?:wankers?|tossers?|twats?|arseholes?|arsed|dickheads?|bastards?|cunts?|pricks|assholes?|jackass)|(?:cheat(ed|ers?|ing)|crooks|con artists?|conned|con job|swindl\w*|hustl(ers?|ed))|(?:morons?|moronic|imbeciles?|brain ?dead|clueless|muppets?|numpt(y|ies)|drongos?|bunch of (clowns|amateurs|cowboys|idiots)|amateur hour|cowboy (outfit|company|operation)|dog act))\b/i,
        /\b(?:(?:shameless|shame on|no shame|should be ashamed|how dare you|you people)|(?:bwisit|buwisit|nakakainis|kainis|nakakagalit|bad ?trip|walang k(u)?wenta|manloloko|niloko|panloloko|putang ?ina|tangina|pakshet)|(?:mental (torture|harassment|agony)|harass(ed|ing|ment))|(?:thanks for nothing|thanks a lot for nothing|cheers for nothing))\b/i,
      ],
      0.6,
    ],
    [
      [
        /\b(?:(?:(contact|call|calling|contacting|told|going to|ask) my (bank|card company|credit card company)|reverse the charges?|cancel the payment with my bank)|consumer rights|(?:post(ing)? (this|it|about (you|this)) (on|to) (twitter|x|facebook|fb|instagram|tiktok|reddit|youtube)|expose (you|this)|warn (everyone|others|people))|(?:(speak|talk) to (a|your|the) (manager|supervisor|superior)|your (manager|supervisor)|escalat(e|ing) (this|it|the matter))|(?:never (buying|buy|order|ordering|shopping|purchasing) (from|here|with)|never again|won'?t be (ordering|buying|shopping|back)|lost a customer|lost my business|taking my business elsewhere|last time i (order|buy|shop))|(?:bloody|bollocks|shambles|shambolic|taking the piss|take the piss|piss[- ]poor|piss off|sod off|sodding|bugger))\b/i,
        /\b(?:(?:dodgy|shoddy|bodged|botched)|(?:third[- ]class|nonsense|rubbish (service|quality|product|company|customer service)|(utter|absolute|total|load of) rubbish|load of (crap|tosh))|(?:mumu|yeye|na wa)|(?:rude|arrogant|condescending|disrespectful|unprofessional|patroni[sz]ing|insulting)|(?:gaslight\w*|lied to|you lied|empty promises|false promises)|(?:love how (nobody|no one|i have to|i had to|it took|i'?m still|you ignore)))\b/i,
        /\b(?:(?:are you (kidding|joking|serious)|you must be joking|you can'?t be serious|got to be (kidding|joking))|(?:livid|fuming|seething|irate|infuriat\w*|enraged|raging|incensed|gutted|so mad|mad at you|cross with)|(?:not happy|very unhappy|extremely unhappy|unhappy|not impressed|unimpressed)|(?:appall\w*|atrocious|abysmal|dreadful|diabolical|disgrace\w*|deplorable|outrageous|absurd|horrendous|horrid|shocking|nightmare)|(?:had enough|enough is enough|last straw|final straw|wits'? end|i give up|done with (you|this|your))|(?:how (hard|difficult) (is it|can it be)|how many (more )?times (do|have|must|should|will) i|is this how you treat|do you (even )?care|does anyone (even )?care|do your job|get your act together|sort yourselves out|pull your finger out))\b/i,
        /\b(?:(?:ffs|wth|what the hell|what the heck|the hell|wtaf|smh|fml|omfg|jfc)|(?:waste of (money|time)|wasted (my|so much) (money|time)|regret (buying|ordering|purchasing)|hard[- ]earned money)|(?:what kind of (service|company|business|shop|store|nonsense|joke))|(?:radio silence|ghost(ed|ing)|left on (read|seen)|seen[- ]?zoned)|(?:passed (around|from|between)|bounced around|(round|around) in circles|run[- ]?around|keep transferring|transferred (again|me again|multiple|several)|brick wall|talking to a (wall|bot|robot))|(?:fell apart|falling apart|came apart|falls? to pieces|fell to pieces))\b/i,
        /\b(?:(?:(broke|stopped working|died|ripped|tore|snapped|fell apart) (after|within|on) (the first|one|1|two|2|three|3|a) (day|days|use|uses|wash|washes|wear|week|hour|hours|try))|(?:(sent|shipped|received|got) (me )?(a )?used|clearly used|already used|someone else'?s return|empty box|box was empty)|(?:moldy|mouldy|rotten|rancid|spoiled|maggots|cockroach\w*|bugs in|insects in|stinks|reeks)|(?:caught fire|exploded|electric shock|sparked|smoke came|burn(ed|t) (me|my)|allergic reaction|food poisoning|made (me|my \w+) sick|(gave me|got|broke out in) a rash)|dti|(?:mucking (me )?around|mucked (me )?around|messing (me )?(around|about)|jerking (me )?around|stuffed (me )?around|yanking my chain|stringing me along))\b/i,
      ],
      0.5,
    ],
    [
      [
        /\b(?:(?:trustpilot|yelp|sitejabber)|(?:stop making excuses|no excuse|excuses)|(?:heartbroken|in tears|crying|cried)|(?:not good enough|substandard|sub-standard|below par|mediocre)|(?:give me a break|beyond belief)|(?:copy[- ]?paste(d)?|canned (response|reply|answer)|automated (response|reply|message)|same (answer|response|reply|excuse|script)|scripted))\b/i,
        /\b(?:(?:chasing|chased|follow(ing|ed)? up (again|for the|multiple|several))|(?:(multiple|several|countless|numerous|so many|endless) (emails|messages|calls|tickets|follow[- ]?ups|chats))|(?:(emailed|messaged|called|contacted|written to|wrote to|chatted with) (you|your team|support) (multiple|several|three|four|five|many|\d+) times)|(?:no (response|reply|answer|update|updates|one replied)|not a single (reply|response|word)|nothing back)|(?:for weeks|for months|weeks now|months now|over a (week|month) (now|ago)|taking forever|takes forever|waited forever|waiting forever|for ages|taking ages)|(?:(ten|\d+|several|two|three|four|five) days (now|and (still|nothing))))\b/i,
        /\b(?:(?:yet again|every single time|time and again|time after time)|(?:stuck in transit|hasn'?t moved|not moved|no movement|no tracking update)|(?:on hold for|kept (me )?waiting|keep me waiting|made me wait)|(?:is anyone (reading|working))|(?:keep (saying|telling me|promising|asking me)|you (said|promised) (it|this|that|i)|promised (me|it))|(?:dead on arrival|doa|arrived (broken|smashed|shattered|dead|in pieces)))\b/i,
        /\b(?:(?:after (the first|one|1|a single) (use|wash|wear))|(?:cheaply made|poorly made|paper[- ]thin|cheap plastic|flimsy)|(?:looks nothing like|nothing like the (picture|photo|photos|pictures|description|ad)))\b/i,
      ],
      0.3,
    ],
    [
      [
        /\b(?:(?:till (now|date|today))|(?:shr(a|u)nk|faded|peeling|pilling|seams? (split|ripped|burst|came apart)|unstitched|bled (color|colour|dye)))\b/i,
      ],
      0.2,
    ],
    [[/(?:[🙄😒😑🖕👎💩🤡🤯]|🤦)|(?:>:\(|:@|:-@|>:-\()/u], 0.3],
    [[/(?:!{3,}|\?{3,}|[?!]{4,})|[🙃😩😫😖😣😞]/u], 0.2],
  ],
  es: [
    [
      [
        /\b(?:(?:sernac|indecopi|libro de reclamaciones|hoja de reclamaciones|omic|facua|condusef|proconsumidor|procuradur\w*|superintendencia)|(?:defensa del consumidor|defensa al consumidor|derechos del consumidor|derechos como consumidor|arbitraje de consumo|junta arbitral|defensor del pueblo|defensor[ií]a)|(?:juzgado|tribunal(es)?|(ir|llevar\w*) a juicio|acciones legales|medidas legales|v[ií]a legal|v[ií]a judicial|querella|carta documento|burofax)|(?:publicidad enga[ñn]osa|enga[ñn]o|enga[ñn]ad[oa]s?|me enga[ñn]aron|enga[ñn]os[oa]s?)|(?:timo|timador\w*|me timaron|timad[oa]s?|defraud\w*|fraudulent\w*|transas?|chantas?|garcas?)|(?:(rese[ñn]a|opini[oó]n|valoraci[oó]n|calificaci[oó]n|comentario) negativ[oa]|cero estrellas|0 estrellas))\b/i,
        /\b(?:(?:rateros?|ojal[aá] (quiebren|cierren)|no tienen palabra)|(?:gilipollas|capull\w*|imb[eé]cil\w*|subnormal\w*|inept\w*|desgraciad\w*|sinverg[uü]enzas?|caradura\w*|mamones)|(?:pinche\w*|chingad\w*|chinguen|no mames|no manches|culer[oa]s?|mamadas?|hijos? de (puta|su madre)|hdp|putos?|putas)|(?:boludo\w*|pelotud\w*|la concha de|la puta madre|una cagada|cagad[oa]s?|cagaron)|(?:malparid\w*|hijueputa|gonorrea|conchesumadre|conchetumare|csm|ctm|mamaguevo)|(?:gracias por nada|muchas gracias por nada))\b/i,
        /\b(?:(?:echando humo|me lleva la (chingada|verga|trampa)|estoy que exploto))\b/i,
      ],
      0.6,
    ],
    [
      [
        /\b(?:(?:desconoc\w* (el|los|este|la) (cargos?|compra|pago))|(?:voy a (publicar|subir|exponer|escrachar|difundir)|escrache|escrachar|hacer(lo)? viral|exponerlos|los voy a (exponer|escrachar|quemar))|(?:hablar con (su|tu|el|un) (supervisor|superior|encargado|gerente|jefe|responsable)|quiero (un|al) (supervisor|encargado|gerente|jefe))|(?:no vuelvo a comprar|nunca m[aá]s (compro|vuelvo|les compro)|jam[aá]s vuelvo|no volver[eé] a comprar|perdieron un cliente|la [uú]ltima vez que compro)|(?:me cago en|cago en|cojones|manda huevos|hostias?|co[ñn]o|carajo|maldit[oa]s?)|(?:chapuz\w*|cutre\w*|bodrio|cochinada|mugros[oa]s?))\b/i,
        /\b(?:(?:incompetent\w*|incompetencia|payasada|se burlan|burla|descarad[oa]s?|falta de respeto|irrespetuos\w*|maleducad\w*|grosero\w*|prepotent\w*)|(?:tomadura de pelo|cachondeo|qu[eé] cara (tienen|ten[eé]is))|(?:lamentable|penos[oa]s?|deplorable|indignante|impresentable\w*|tercermundista|nefast\w*|desastre|desastros[oa]s?|mal[ií]sim\w*)|(?:vaya (servicio|atenci[oó]n|tela|tienda|empresa|estafa|mierda|verg[uü]enza)|qu[eé] (clase|tipo) de (servicio|empresa|tienda|atenci[oó]n))|(?:lo que faltaba|no (me )?lo puedo creer|no puedo creer)|(?:qu[eé] rabia|me da rabia|una rabia|me da coraje|qu[eé] coraje|qu[eé] bronca|me da bronca|cabread\w*|cabreo|encabronad\w*|emputad\w*))\b/i,
        /\b(?:(?:hasta la madre|hasta las narices|hasta el gorro|hasta el mo[ñn]o|hasta los huevos|hasta la coronilla|podrid[oa]s? de)|(?:frustr\w*|decepci[oó]n|decepcionante)|(?:no es justo|injust\w*|injusticia)|(?:arrepentid\w*|me arrepiento|dinero tirado|tir(ar|ado) (el|mi) dinero|p[eé]rdida de (tiempo|dinero)|perd[ií] (mi|el) (tiempo|dinero))|(?:ya basta|basta ya|hasta cu[aá]ndo|es tan dif[ií]cil|tan dif[ií]cil es)|(?:me dejan en visto|dejan en visto|me dejaron en visto|me clavaron el visto|ni caso|no me hacen caso))\b/i,
        /\b(?:(?:de un lado (a|para) otro|peloteo|me pelotean|pelotean|me marean|me est[aá]n mareando|me dan largas|dando largas|me dan (el )?avi[oó]n|me dan por mi lado)|(?:no sirve para nada|no sirve ni para|no vale (nada|para nada|ni))|(?:destrozad\w*|hech[oa]s? (pedazos|trizas|polvo|mierda)|trizas|lleg[oó] (rot[oa]|destrozad\w*|abiert[oa]|usad[oa]))|(?:caja vac[ií]a|paquete vac[ií]o|ya (estaba|ven[ií]a|viene) usad[oa]|usad[oa] por (otra persona|alguien))|(?:podrid[oa]s?|moho|gusanos|bichos|cucarach\w*|intoxica\w*|apesta|huele a (rayos|podrido))|(?:me (quem|irrit)\w*|reacci[oó]n al[eé]rgica|sarpullido|ronchas|descarga el[eé]ctrica|se incendi\w*|olor a quemado|sac[oó] chispas))\b/i,
        /\b(?:(?:(reclamar|denunciar|quejarme) (con|a|al|en) (mi )?banco|anular el cargo))\b/i,
      ],
      0.5,
    ],
    [
      [
        /\b(?:trustpilot|(?:we[oó]n\w*|hue[vb]on\w*)|(?:tonter[ií]as?|dan pena|das pena|chatarra)|(?:es en serio|en serio(?=\?)|me est[aá]n tomando)|(?:triste|llorando)|(?:llevo (esperando|escribiendo|reclamando|insistiendo)|sigo sin|siguen sin))\b/i,
        /\b(?:(?:desde hace (dos|tres|cuatro|varias|muchas|\d+) (semanas|meses)|(ya (van|pasaron|son|llevo)|y van) \w+ (d[ií]as|semanas|meses)|una eternidad)|(?:(escrib|llam|reclam|pregunt|mand|contact|insist)\w{0,6} (varias|muchas|mil|tres|cuatro|cinco|\d+) veces)|(?:nadie me (responde|contesta|ayuda|da respuesta|soluciona)|no me (responden|contestan|dan respuesta|dan soluci[oó]n|solucionan)|sin respuesta|ninguna respuesta|ni una respuesta|sin soluci[oó]n|ninguna soluci[oó]n)|(?:respuestas? autom[aá]tica|copia y pega|copiar y pegar|(hablando|hablar) con un (robot|bot)|la misma respuesta|siempre (la misma|lo mismo)|lo mismo de siempre)|(?:una y otra vez|siempre es lo mismo)|(?:no hay forma|no hay manera))\b/i,
        /\b(?:(?:sin movimiento|estancad[oa]s?|no se ha movido)|(?:me prometieron|prometieron)|(?:me cuelgan|me colgaron|alguien que responda)|(?:al primer (uso|lavado|d[ií]a)|a la primera (puesta|lavada|semana|postura))|(?:(p[eé]sima|mal[ií]sima|mala|baja) calidad|calidad (p[eé]sima|mal[ií]sima|horrible|de mierda|nefasta))|(?:parece de juguete|pl[aá]stico barato|parece de cart[oó]n))\b/i,
        /\b(?:(?:nada que ver con (la foto|las fotos|la imagen|lo que)|no se parece en nada|no tiene nada que ver)|(?:caducad[oa]s?|vencid[oa]s?))\b/i,
      ],
      0.3,
    ],
    [
      [
        /\b(?:(?:y encima|encima de todo)|(?:se (romp|descos|despeg|desarm|desintegr|despedaz|deshilach|desti[ñn]|despint|decolor)\w*)|(?:desti[ñn]\w*|deshilachad\w*|descosid\w*|despegad\w*))\b/i,
      ],
      0.2,
    ],
    [[/(?:[🙄😒😑🖕👎💩🤡🤯]|🤦)/u], 0.3],
    [[/(?:[!¡]{3,}|[?¿]{3,})|[🙃😩😫😖😣😞]/u], 0.2],
  ],
};
