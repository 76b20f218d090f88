import type { Language } from '../shared/language.ts';

/**
 * A third part of the upset-buyer lexicon (with CUES in detect-emotion.ts and MORE_CUES in
 * emotion-cues.ts), by the same weights: swear words' other spellings and compounds, fixed
 * sarcastic phrases, exasperation with a process and despair while waiting, robbery and cheating
 * metaphors, angry emoticons and repeated weary emoji, Chinese colloquial anger and indignant
 * rhetoric. Proposed from those categories by a writer who never saw the real-buyer dev set, each
 * checked against the calm lines of the training corpora (words calm buyers also use, or that
 * clash with product names, were left out). Spanish words are bounded by letters, not by \\b (which
 * ends at an accented letter). A group adds its weight once.
 */
export const EXTRA_CUES: Record<
  Language,
  readonly (readonly [patterns: readonly RegExp[], weight: number])[]
> = {
  zh: [
    [
      [
        /日了狗|狗日的|日狗/iu,
        /我擦(?=[，,。.!！?？\s~]|$)|我擦嘞|卧草|握草|窝草|我屮|\bwoc\b/iu,
        /妈蛋|玛德|麻痹的|马勒戈壁|草泥马|曹尼玛|他奶奶的|\b(tnnd|nnd|nmd)\b/iu,
        /傻[xX叉缺屌]|煞笔|二逼|脑瘫/iu,
        /狗屎|吃屎|屎一样/iu,
        /去你大爷|你大爷的|去你的吧|滚犊子|滚粗/iu,
        /屁话|屁用|有个屁(?!股)|放你的屁|放狗屁/iu,
        /扯淡|扯犊子|胡说八道|睁眼说瞎话/iu,
        /烂货|烂东西|破店|渣店|渣客服/iu,
      ],
      0.6,
    ],
    [
      [
        /(?<!不)好意思(吗|说|收)|还有脸(说|要|问|来|收|找)|脸都不要/iu,
        /好一个(?!月|小时|星期|礼拜)/iu,
        /(可|真|太)会做生意|会不会做生意/iu,
        /照骗/iu,
        /小丑竟是我|大冤种|人傻钱多/iu,
      ],
      0.5,
    ],
    [[/当我(是)?三岁(小孩|孩子)|骗鬼|鬼才信/iu, /负分|零分|打0分|给0分|一颗星都不|一分都不想给/iu], 0.6],
    [[/长见识了|开眼了|大开眼界|涨知识了/iu, /(迷惑|窒息|迷之|骚)操作/iu, /(?<!呵)呵(?![呵护])/iu], 0.3],
    [
      [
        /没完没了|有完没完/iu,
        /推三阻四|推诿|扯皮(?!筋)/iu,
        /猴年马月|等到天荒地老|天荒地老都/iu,
        /心力交瘁|身心俱疲|心好累|累觉不爱/iu,
        /说了等于没说|等于白说|问了等于白问|白问了/iu,
        /折腾死|被折腾|瞎折腾|来回折腾/iu,
        /还要我怎[样么]|到底想怎样|还让不让人|不让人活/iu,
        /要你们何用|要你何用|是摆设(吗|啊|[?？])|当摆设/iu,
      ],
      0.5,
    ],
    [
      [
        /兜圈子|绕圈子|绕来绕去|车轱辘话/iu,
        /一而再.{0,2}再而三|(第|都)[二三四五六七八九十\d]+次了/iu,
        /白等了|白等一|让我白等|傻等/iu,
        /度日如年|望眼欲穿|寝食难安|提心吊胆|好煎熬|太煎熬|我太难了/iu,
      ],
      0.3,
    ],
    [[/死哪(去|儿)?了|人都死|都死了吗/iu], 0.6],
    [
      [/抢钱|明抢|强盗|土匪|打劫/iu, /欺骗|骗局|骗术|骗取|讹人|讹钱|耍流氓|流氓(商家|店|行为|客服|公司)/iu],
      0.6,
    ],
    [
      [
        /宰客|宰人|挨宰|被宰|杀熟/iu,
        /偷工减料|掉包|被调包|调包了|偷梁换柱|挂羊头卖狗肉/iu,
        /(全是|都是|被|玩)套路|套路(我|太深)/iu,
        /言而无信|说话不算|出尔反尔|食言|不守信用|说一套做一套/iu,
        /撒谎|说谎|谎话|鬼话|胡扯/iu,
        /乱收费|乱扣|偷偷扣|私自扣|强买强卖|诱导消费|先涨后降|先涨价再/iu,
        /欺负(我|消费者|顾客|老实人|人吗)/iu,
      ],
      0.5,
    ],
    [[/┻━┻|掀桌|╬|\/:@|\[(咒骂|敲打|菜刀|吐血)\]/iu], 0.5],
    [[/[😾👿]|😮‍💨|\[(翻白眼|抠鼻|衰|快哭了|委屈|左哼哼|右哼哼|哼|吐)\]|-_-\|\||=_=/iu], 0.3],
    [[/\[(汗|冷汗|流汗|叹气)\]|-_-|\borz\b/iu, /(😭|😩|😫|🙄|😒|😑|🤡|🙃|😓)\1\1/iu], 0.2],
    [
      [
        /不爽|火冒三丈|(?<!客)气人|气不过|(真|就|好|很)来气|来气了|越想越气|(?<![天空暖冷煤燃氧客])气到|好气[啊哦呀]|怄气|冒火|鬼火冒|光火|憋火/iu,
        /添堵|堵心|膈应|窝囊|心态炸|搞(我|人)?心态|发飙|炸毛|我怒了|怒了|怒火/iu,
        /想打人|吐血了|呸|烦不烦/iu,
        /有(你们)?这样(做生意|做事|卖东西|对待)|哪有(你们)?这样(做|办|对待|卖)|讲不讲(道)?理|不讲理|瞎了(狗)?眼|长没长眼/iu,
        /凭啥|态度恶劣|太恶劣|真是够了|够够的/iu,
      ],
      0.5,
    ],
    [[/(怎么|咋)做事的|干什么吃的|干啥吃的|吃干饭|还是不是人|还有没有王法|没王法|算什么东西/iu], 0.6],
  ],
  en: [
    [
      [
        /\b(motherf\w*|mofo|clusterf\w*|f[*#@]+c?k\w*|f\*\*\w*|fk(in|ing|n)|fcking|fcked|fck\w*|fuk\w*|effing|effin)\b/iu,
        /\b(horseshit|dipshit|apeshit|batshit|sh[*#!]t\w*|crappy|crappiest|dammit|damnit|goddamn\w*|god damn)\b/iu,
        /\b((this|that|it|service|support|company|shop|store|airline|app) sucks(?! up)|you suck|lousy|idiotic|stupidity|incompetence|disgusted|disappointing|disappointment|upsetting|angered)\b/iu,
      ],
      0.5,
    ],
    [[/\b(frick(in|ing)|frigg(in|ing))\b/iu], 0.3],
    [
      [
        /\b(dumbass\w*|smartass|half[- ]?ass(ed)?|sons? of a bitch|bitch(es)?|scumbags?|scummy|douche\w*|stfu|gtfo|pissing (me|us) off|pisses me off|screw you|screwed (me|us) over|piss-?up in a brewery)\b/iu,
        /\b(scammed|scamming|scammy|scams|cheats|cheat(ing)? (me|us|customers|people)|crook|thieving|robbing|robs|suing)\b/iu,
        // the English of 忽悠: fooling the buyer (not "make a fool of myself")
        /\b(fool(s|ing|ed)? (the |your )?(me|us|customers?|buyers?|people)|make (a )?fools? (of|out of) (me|us|customers?|buyers?|people))\b/iu,
      ],
      0.6,
    ],
    [
      [
        /\b(surprise,? surprise|colou?r me (shocked|surprised)|oh joy|slow clap|pat (yourselves|yourself) on the back|at (its|it's) finest)\b/iu,
        /\b(won'?t (be )?hold(ing)? my breath|not holding my breath)\b/iu,
        /\b((is|are|was) (a|an) (complete |total |absolute |utter |fucking |bloody )?joke|joke of an? |laughing ?stock|laughable|mickey mouse (outfit|operation|company)|fly[- ]by[- ]night|a new low|bottom of the barrel|chocolate teapot)\b/iu,
        /\b(the audacity|the nerve|beggars belief|beyond a joke|in what world|how is (this|that|it) (acceptable|legal|ok|okay|fair|allowed)|what('s| is) wrong with you( people| guys)?\b(?!r)|did you even|can'?t you read|can you not read|learn to read|not rocket science)\b/iu,
        /\b(for (god|christ|heaven|pete)'?s sake|for crying out loud)\b/iu,
        /(#sarcasm|\(sarcasm\)|\s\/s\b)/iu,
      ],
      0.5,
    ],
    [
      [
        /\b(yeah,? right|sure you (did|do|will)|how convenient(?! is| are| it| to))\b/iu,
        /\b(good grief|what a surprise|shocker|who would have thought|big surprise|funny how|must be nice|love that for me|customer disservice|non-?existent)\b/iu,
      ],
      0.3,
    ],
    [
      [
        /\b(zero stars?|0 stars?|negative stars?|would not recommend|wouldn'?t recommend|do not recommend|don'?t recommend|0\/10)\b/iu,
      ],
      0.6,
    ],
    [
      [
        /\b((sent|sending|send|running|run|ran) (me|us) (round|around|in) (in )?circles|(we'?re|i'?m|we are|i am|i keep|keep) going (round |around )?in circles|talking in circles|merry[- ]go[- ]round|wild goose chase|pillar to post|(stuck|trapped|caught) in (a|an|this) (endless )?loop|groundhog day|jump(ing)? through hoops|hoops to jump)\b/iu,
        /\b(sick and tired|(so|really|very) tired of|tired of (waiting|this|you|chasing|being|the)|so done|i'?m (so )?over it|can'?t take (it|this) any ?more|los(ing|t) (my )?patience|running out of patience|patience (is )?(running|wearing) (out|thin)|los(ing|t) (all )?hope|feel(ing)? hopeless|it'?s hopeless|what('?s| is) the point(?! of)|why (do i even )?bother|don'?t know what else to do|my last hope|this is exhausting)\b/iu,
        /\b(freaking out|freak(ed)? out|nervous wreck|terrified|nerve[- ]wracking)\b/iu,
        /\b(treat(ed|ing)? (me |us |customers )?like (dirt|a criminal|a fool|fools|an idiot|idiots|garbage|trash)|disrespect|an insult|inexcusable|unforgivable)\b/iu,
      ],
      0.5,
    ],
    [
      [
        /\b(exhausted|gave up|begging|helpless|at a loss|tried everything|impossible to (reach|contact|get)|can'?t get through|never[- ]ending|endless|eons|snail'?s pace|carrier pigeon|at this point)\b/iu,
        /\b(in a panic|panicked|scared|sleepless|on edge)\b/iu,
      ],
      0.3,
    ],
    [
      [
        /\b(price[- ]goug\w*|gouging|gouged|fleeced|fleecing|bait[- ]and[- ]switch|dishonest\w*|deceitful|deceiv\w*|duped|taken for a ride|pocket(ed|ing) my money|ripping (\w+ )?off|rips? (\w+ )?off)\b/iu,
      ],
      0.6,
    ],
    [
      [
        /\b(misleading|misled|(a|what a|total|complete) sham|bogus|phony|phoney|shady|sneaky|underhanded|predatory|cash grab|money grab|greedy|greed|nickel[- ]and[- ]dim\w*|junk fees|taking advantage|taken advantage|pulled a fast one|bamboozled|hoodwinked|all lies|(bunch|pack|full) of lies|more lies|telling lies|lied|holding my money hostage)\b/iu,
      ],
      0.5,
    ],
    [[/\b(stolen|fishy|kept my money)\b/iu], 0.3],
    [[/(ಠ_ಠ|┻━┻|\(╯°□°\)╯|\bgrr+\b)/iu], 0.5],
    [[/([😾👿]|😮‍💨|-_-|-\.-|>:\||:-?\(\(+|\bugh+\b|\bargh+\b|\*sigh\*|\bsigh+\b|\bjeez\b|\bgeez\b)/iu], 0.3],
    [[/(😭|😩|😫|🙄|😒|😑|🤡|🙃|😓)\1\1/iu], 0.2],
  ],
  es: [
    [
      [
        /(?<![\p{L}])(jodid[oa]s?|jodiendo|joden|jodan|jode|j[oó]dete|joderse|putada|carajos|ostia|qu[eé] leches)(?![\p{L}])/iu,
        /(?<![\p{L}])(no mamen|no chingues|chingaron|ching[oó]|a la verga|vali[oó] verga|vale verga|maldici[oó]n|qu[eé] (diablos|demonios|rayos)|gilipolleces|gilipollez|mamarrach\w*|mam[oó]n)(?![\p{L}])/iu,
        /(?<![\p{L}])(asqueros[oa]s?|repugnante|vergonzos[oa]s?|bochornos[oa]|pat[eé]tic[oa]s?|horroros[oa]s?|espantos[oa]s?|terribles?)(?![\p{L}])/iu,
        /(?<![\p{L}])(poco profesional(es)?|nada profesional(es)?|falta de profesionalidad|cero profesionalismo|poca seriedad|falta de seriedad|poco seri[oa]s|nada seri[oa]s)(?![\p{L}])/iu,
        /(?<![\p{L}])(me (enoja|enfada|cabrea|encabrona|emputa|revienta|indigna|saca de quicio)|enojo|enfado|indignaci[oó]n|furia|qu[eé] fastidio|mosquead[oa]s?|mosqueo|me hart[eé])(?![\p{L}])/iu,
      ],
      0.5,
    ],
    [
      [
        /(?<![\p{L}])(ojetes?|conchud[oa]s?|soretes?|cojud[oa]s?|aweonao|ahueonao|aweonad[oa]s?|jueputa|hpta|conchatumadre|conchatumare|mamag[uü]evos?|hijueputas|la madre que (os|los|te) pari[oó])(?![\p{L}])/iu,
        /(?<![\p{L}])(estafad[oa]s?|estafan|estafar|estaf[oó]|timan|me timan|rob(an|aron|arme|arnos)|tramposos?|mentiras|mienten|me mintieron|nos mintieron|mintieron)(?![\p{L}])/iu,
      ],
      0.6,
    ],
    [[/(?<![\p{L}])(nunca lleg[oó]|desapareci[oó])(?![\p{L}])/iu], 0.3],
    [[/(?<![\p{L}])(qu[eé] poca madre|no tienen madre)(?![\p{L}])/iu], 0.6],
    [
      [
        /(?<![\p{L}])(les vale (madre|madres|verga|gorro)|les importa un (bledo|comino|pito|r[aá]bano|pimiento|pepino))(?![\p{L}])/iu,
        /(?<![\p{L}])(es de traca|de traca|es de risa|de chiste|(es|son) un chiste|manda narices|t[oó]cate los (huevos|cojones)|t[oó]cate las narices|para mear y no echar gota|lo que hay que (aguantar|o[ií]r))(?![\p{L}])/iu,
        /(?<![\p{L}])(qu[eé] (morro|jeta)|menudo morro|vaya morro|tienen (un )?morro|tienen una jeta|cara dura|recochineo|payasos|un circo|kafkian[oa])(?![\p{L}])/iu,
        /(?<![\p{L}])(menud[oa] (servicio|atenci[oó]n|tienda|empresa|desastre|broma|chapuza|cachondeo|panda|timo))(?![\p{L}])/iu,
        /(?<![\p{L}])(n[oó]tese (el|la) (sarcasmo|iron[ií]a)|#sarcasmo|modo iron[ií]a)(?![\p{L}])/iu,
      ],
      0.5,
    ],
    [
      [
        /(?<![\p{L}])(para variar|qu[eé] sorpresa|oh sorpresa|alucino|surrealista)(?![\p{L}])/iu,
        /(?<![\p{L}])(qu[eé] ladilla|qu[eé] mamera|qu[eé] piedra|me da piedra|bien chafa|una chafa|qu[eé] chafa|qu[eé] penca|muy penca|es un afano|un afano|chantada|qu[eé] quilombo)(?![\p{L}])/iu,
      ],
      0.3,
    ],
    [
      [
        /(?<![\p{L}])(me rindo|tiro la toalla|tir[eé] la toalla|ya no s[eé] qu[eé] (m[aá]s )?hacer|no s[eé] qu[eé] m[aá]s hacer|no s[eé] a qui[eé]n (m[aá]s )?(acudir|recurrir)|no puedo m[aá]s)(?![\p{L}])/iu,
        /(?<![\p{L}])(desesperante|desesperaci[oó]n|me desespera|agotador|angustia|hartazgo|perd[ií] la paciencia|se me (acab[oó]|est[aá] acabando|agot[oó]) la paciencia|(vuelvo|vuelve|vuelven|volver|volverme) loc[oa])(?![\p{L}])/iu,
        /(?<![\p{L}])(el cuento de nunca acabar|en bucle|un bucle|marear la perdiz|de un (agente|asesor|departamento|operador|chat) a otro|me dan vueltas|me est[aá]n dando vueltas)(?![\p{L}])/iu,
      ],
      0.5,
    ],
    [
      [
        /(?<![\p{L}])(es imposible|imposible (hablar|contactar|comunicarse)|ni rastro|ni se[ñn]ales|paso de tortuga|hace siglos|me cans[eé]|estresad[oa]s?|agobiad[oa]s?)(?![\p{L}])/iu,
      ],
      0.3,
    ],
    [
      [
        /(?<![\p{L}])(gato por liebre|atraco|sacacuartos|sacadineros|usurer[oa]s?|panda de chorizos|son unos chorizos|manga de (chorros|ladrones|in[uú]tiles|forros)|son unos (chorros|forros))(?![\p{L}])/iu,
      ],
      0.6,
    ],
    [
      [
        /(?<![\p{L}])(abuso|abusiv[oa]s?|abusan|(menuda|qu[eé]|una) clavada|me clavaron(?! el visto)|tom(an|aron|ar|arme|arnos|ando) el pelo|(quieren|quiere|pretenden) ver(me|nos)? la cara|ver(me|nos) la cara de|se quedaron con mi (dinero|plata|pago)|se quedan con (el|mi) dinero|nos enga[ñn]an|enga[ñn]ando)(?![\p{L}])/iu,
      ],
      0.5,
    ],
    [[/(?<![\p{L}])(robad[oa]|mentira)(?![\p{L}])/iu], 0.3],
    [[/(ಠ_ಠ|┻━┻|(?<![\p{L}])grr+(?![\p{L}]))/iu], 0.5],
    [
      [/([😾👿]|😮‍💨|¬_?¬|-_-|-\.-|(?<![\p{L}])pf{2,}(?![\p{L}])|(?<![\p{L}])argh+(?![\p{L}])|:-?\(\(+)/iu],
      0.3,
    ],
    [[/(😭|😩|😫|🙄|😒|😑|🤡|🙃|😓)\1\1/iu], 0.2],
  ],
};
